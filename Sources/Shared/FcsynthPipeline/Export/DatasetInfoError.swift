/// A `dataset_info.json` entry that cannot be made or written.
public struct DatasetInfoError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
