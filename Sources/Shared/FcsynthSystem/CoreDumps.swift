import CSpawn
import Glibc

/// A process holding an API key or a Redis password would write them into a core file if it
/// crashed (an audit found 46 copies of a key in one core). Every fcsynth process forbids core
/// dumps as it starts, unless `FCSYNTH_ALLOW_CORE_DUMPS=1` asks for them to debug a crash.
public enum CoreDumps {
    /// Sets the core size limit to 0 and the process not dumpable; returns whether it did.
    @discardableResult
    public static func forbid(environment: [String: String]) -> Bool {
        guard environment["FCSYNTH_ALLOW_CORE_DUMPS"] != "1" else { return false }
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        let limited = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none) == 0
        return fcsynth_forbid_core_dumps() == 0 && limited
    }
}
