/// A row enqueue skipped, and why: printed as `FILE:LINE: reason`.
public struct RowRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line the row starts on.
    public var line: Int
    /// For a JSON array file, the element's index.
    public var element: Int?
    public var reason: String
    /// A row whose seed chat the run already holds: skipped, but not a bad row.
    public var isRepeat: Bool

    public init(line: Int, element: Int? = nil, reason: String, isRepeat: Bool = false) {
        self.line = line
        self.element = element
        self.reason = reason
        self.isRepeat = isRepeat
    }

    public var description: String {
        if let element { return "line \(line) (element \(element)): \(reason)" }
        return "line \(line): \(reason)"
    }
}
