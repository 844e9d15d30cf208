import FcsynthRedis
import Logging
import Synchronization

/// Tells a Redis that is full (past `maxmemory` with `noeviction`, refusing what adds memory)
/// from one that is not, by what it refuses and takes, and logs each episode once as it starts
/// and once as it ends: refusals come by the hundred (claims, registry, stats), and each one
/// logged would drown the log. While full, the worker claims nothing new but probes with a
/// claim every `probeInterval`: the claim script is refused whole, before any change, for as
/// long as Redis is full (memory.lua).
package final class RedisFullWatch: Sendable {
    private struct State {
        var since: ContinuousClock.Instant?
        var refusals = 0
        var lastProbe: ContinuousClock.Instant?
    }

    package let probeInterval: Duration
    private let state = Mutex(State())
    private let logger: Logger

    package init(probeInterval: Duration = .seconds(1), logger: Logger) {
        self.probeInterval = probeInterval
        self.logger = logger
    }

    package var isFull: Bool { state.withLock { $0.since != nil } }

    /// Whether a claim may go now: always while Redis has room, once per `probeInterval` while
    /// it is full.
    package func mayClaim() -> Bool {
        state.withLock { state in
            guard state.since != nil else { return true }
            let now = ContinuousClock.now
            if let last = state.lastProbe, now - last < probeInterval { return false }
            state.lastProbe = now
            return true
        }
    }

    /// Notes a failed call; returns whether it was Redis refusing for memory.
    @discardableResult
    package func noteFailure(_ error: RedisError, during what: String) -> Bool {
        guard error.isOutOfMemory else { return false }
        let began = state.withLock { state -> Bool in
            state.refusals += 1
            guard state.since == nil else { return false }
            state.since = .now
            state.lastProbe = .now
            return true
        }
        if began {
            logger.error(
                "Redis is full (used memory past maxmemory, noeviction): claims paused; tasks in hand finish and are handed off, leases are renewed, and fleet stats wait in this worker until Redis has room",
                metadata: ["refused": "\(what)", "error": "\(error)"])
        }
        return true
    }

    /// Notes that Redis took a write that a full Redis refuses (a claim, an increment).
    package func noteAccepted() {
        let ended = state.withLock { state -> (ContinuousClock.Instant, Int)? in
            guard let since = state.since else { return nil }
            defer {
                state.since = nil
                state.refusals = 0
            }
            return (since, state.refusals)
        }
        if let (since, refusals) = ended {
            logger.notice(
                "Redis has room again; claims resume",
                metadata: [
                    "full_seconds": "\(Int((ContinuousClock.now - since) / .seconds(1)))",
                    "refusals": "\(refusals)",
                ])
        }
    }
}
