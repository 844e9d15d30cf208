import FcsynthCore

extension JSONBytes {
    /// Writes `value` for a formatter, whose failures name the record they stopped.
    package mutating func exported(_ value: JSONValue) throws(ExportFailure) {
        do {
            try self.value(value)
        } catch {
            throw ExportFailure(error.reason)
        }
    }
}
