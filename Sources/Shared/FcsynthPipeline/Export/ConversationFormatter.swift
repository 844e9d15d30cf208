import FcsynthCore

/// Turns one finished conversation into one line of a training file.
public protocol ConversationFormatter: Sendable {
    /// The record as one JSON document, UTF-8, without the trailing newline.
    /// - Throws: `ExportError` when the format cannot express the record.
    func line(for record: ConversationRecord) throws -> [UInt8]
}

extension ConversationFormatter {
    /// Runs `body`, naming the format and the record in whatever it gives up on.
    package func formatting(
        _ record: ConversationRecord, as format: ExportFormat,
        _ body: () throws(ExportFailure) -> [UInt8]
    ) throws(ExportError) -> [UInt8] {
        do {
            return try body()
        } catch {
            throw ExportError(format: format, recordId: record.id, reason: error.reason)
        }
    }
}
