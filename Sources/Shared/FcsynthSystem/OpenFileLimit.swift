import Glibc

/// Every LLM call in flight holds a socket: a worker at `--concurrency 4000`, or the simulator
/// answering it, needs more descriptors than the usual soft limit of 1,024, so each raises the
/// soft limit to the hard one.
public enum OpenFileLimit {
    /// Returns the soft limit now in force.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > UInt(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
