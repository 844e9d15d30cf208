/// Why `fcsynth run` has no private redis-server to work with.
enum LocalRedisError: Error, Sendable, Hashable, CustomStringConvertible {
    case notInstalled
    /// The server exited or never listened; its log says why.
    case didNotStart(log: String)
    /// Another `fcsynth run` holds the state folder.
    case stateInUse(path: String)
    /// The private Redis of an earlier `fcsynth run` that was killed still serves the folder.
    case orphanRunning(pid: Int32, path: String)

    var description: String {
        switch self {
        case .notInstalled:
            "redis-server is not installed (apt-get install redis-server), and FCSYNTH_REDIS_URL is not set"
        case .didNotStart(let log):
            "the private redis-server did not start: \(log)"
        case .stateInUse(let path):
            "another fcsynth run is using the state folder \(path); wait for it, or give this one --state-dir"
        case .orphanRunning(let pid, let path):
            "the private redis-server of an earlier fcsynth run (PID \(pid)) still serves \(path); stop it "
                + "(kill \(pid)) and run again to resume"
        }
    }
}
