/// Why a Redis command failed. Messages never carry a password.
public enum RedisError: Error, Sendable, Hashable {
    /// The server answered with an error reply; its message as sent.
    case server(String)
    /// The URL cannot be used.
    case invalidURL(String)
    /// AUTH or SELECT was refused: retrying will not help.
    case authentication(String)
    /// Could not connect, or not within the wait allowed for a command.
    case unavailable(String)
    /// The connection broke after the command was sent: it may or may not have run.
    case connectionLost(String)
    /// A reply of a shape the caller did not expect.
    case unexpectedReply(String)
    /// SCRIPT LOAD failed: the script's name and the server's message (a compile error, NOPERM).
    case scriptRejected(name: String, message: String)
    /// The user's ACL denies commands the scripts call, named upper-case.
    case commandsDenied([String])
    /// The client was closed.
    case closed
}

extension RedisError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .server(let message): "Redis error: \(message)"
        case .invalidURL(let message): "invalid Redis URL: \(message)"
        case .authentication(let message): "Redis refused the credentials: \(message)"
        case .unavailable(let message): "Redis unavailable: \(message)"
        case .connectionLost(let message): "Redis connection lost: \(message)"
        case .unexpectedReply(let message): "unexpected Redis reply: \(message)"
        case .scriptRejected(let name, let message): "Redis rejected the Lua script \(name): \(message)"
        case .commandsDenied(let names):
            "the Redis user may not run \(names.joined(separator: ", ")), which fcsynth's scripts call: grant "
                + "\(names.count == 1 ? "it" : "them") (docs/operations.md has the ACL line fcsynth needs)"
        case .closed: "Redis client closed"
        }
    }

    /// The server is past its `maxmemory` and evicts nothing (`noeviction`): it refused a
    /// command, or a script's first write, that may add memory. Redis 7 answers a script's
    /// refusal with the OOM error itself, Redis 6.2 inside an `ERR Error running script`.
    public var isOutOfMemory: Bool {
        guard case .server(let message) = self else { return false }
        return message.hasPrefix("OOM ") || message.contains("-OOM ")
    }

    /// Errors that pass once the server or network is back.
    public var isConnectionError: Bool {
        switch self {
        case .unavailable, .connectionLost: true
        default: false
        }
    }
}
