/// Why an input file cannot be read at all (as opposed to a bad row, which is skipped).
public enum InputError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformedArray(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .malformedArray(let path, let line, let reason): "\(path):\(line): \(reason)"
        }
    }
}
