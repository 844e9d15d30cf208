import Synchronization

/// A worker's slots that no task holds while it has nothing more to claim: at the end of a run,
/// what hedged calls may use. The worker's loop says how many are free and whether it is idle;
/// a hedge holds one of them until its call ends, and the loop counts it as taken.
package final class SpareSlots: Sendable {
    private struct State {
        var free = 0
        var idle = false
        var hedges = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// From the worker's loop: slots no task holds, and whether its queues had nothing for them.
    package func update(free: Int, idle: Bool) {
        state.withLock {
            $0.free = free
            $0.idle = idle
        }
    }

    /// Takes a slot for a hedge if one is spare; `hedgeEnded()` gives it back.
    package func takeForHedge() -> Bool {
        state.withLock { state in
            guard state.idle && state.free - state.hedges > 0 else { return false }
            state.hedges += 1
            return true
        }
    }

    package func hedgeEnded() {
        state.withLock { $0.hedges -= 1 }
    }

    /// Slots hedges hold now.
    package var hedges: Int { state.withLock { $0.hedges } }
}
