/// Why `fcsynth run` has no private redis-server to work with.
enum LocalRedisError: Error, Sendable, Hashable, CustomStringConvertible {
    case notInstalled
    /// The server exited or never listened; its log says why.
    case didNotStart(log: String)

    var description: String {
        switch self {
        case .notInstalled:
            "redis-server is not installed (apt-get install redis-server), and FCSYNTH_REDIS_URL is not set"
        case .didNotStart(let log):
            "the private redis-server did not start: \(log)"
        }
    }
}
