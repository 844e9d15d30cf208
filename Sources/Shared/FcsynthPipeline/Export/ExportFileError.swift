/// An export file that cannot be created.
public struct ExportFileError: Error, Hashable, CustomStringConvertible {
    public var path: String

    public var description: String { "cannot create \(path)" }
}
