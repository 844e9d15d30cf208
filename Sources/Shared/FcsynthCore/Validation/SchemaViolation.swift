/// One reason a value or a schema was rejected, located by a JSONPath-like path (`$.arguments.city`)
/// so that a model told about it can find and fix the spot.
public struct SchemaViolation: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
