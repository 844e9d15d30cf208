/// A conversation the chosen format cannot express. The exporter skips it and reports it,
/// rather than writing a line that the trainer would reject or misread.
public struct ExportError: Error, Hashable, CustomStringConvertible {
    public var format: ExportFormat
    public var recordId: String
    public var reason: String

    public init(format: ExportFormat, recordId: String, reason: String) {
        self.format = format
        self.recordId = recordId
        self.reason = reason
    }

    public var description: String {
        "conversation \(recordId) cannot be exported as \(format.rawValue): \(reason)"
    }
}

/// Why a formatter gave up, before the formatter attaches its format and the record's id.
package struct ExportFailure: Error {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }
}
