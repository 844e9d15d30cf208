/// A catalog entry that cannot be used, named by where it is in the file, as a bad input row
/// is named by its line. The other entries still go through.
public struct CatalogProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// A JSON path into the document (`$.paths./pets.get`), with the line first when the file is JSON Lines.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
