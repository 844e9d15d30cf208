/// The metrics endpoint could not be opened.
public enum MetricsServerError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): "cannot serve metrics on \(host):\(port): \(reason)"
        }
    }
}
