import Glibc

/// Why the simulator server could not start.
public enum SimulatorServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed with `errno`.
    case system(String, Int32)
    case invalidOptions(SimulatorOptionsError)
    case alreadyStarted

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .invalidOptions(let error): error.description
        case .alreadyStarted: "the simulator server is already running"
        }
    }
}
