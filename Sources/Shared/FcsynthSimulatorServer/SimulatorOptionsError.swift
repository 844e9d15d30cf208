/// Why simulator options were refused.
public enum SimulatorOptionsError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownFault(String)
    case nonLoopbackHost(String)
    case invalidHost(String)
    case invalidValue(option: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFault(let name):
            "unknown fault kind '\(name)'; known: \(SimulatorFault.allCases.map(\.rawValue).joined(separator: ", "))"
        case .nonLoopbackHost(let host):
            "host \(host) is not a loopback address; pass --allow-remote to serve it anyway"
        case .invalidHost(let host):
            "host \(host) is not a numeric IPv4 or IPv6 address"
        case .invalidValue(let option, let reason):
            "\(option): \(reason)"
        }
    }
}
