import FcsynthCore

/// Any format, with the function names masked first (`export --mask-function-names`).
package struct MaskingFormatter: ConversationFormatter {
    package let base: any ConversationFormatter

    package init(base: any ConversationFormatter) {
        self.base = base
    }

    package func line(for record: ConversationRecord) throws -> [UInt8] {
        try base.line(for: FunctionNameMasker(record: record).masked(record))
    }
}
