import FcsynthCore
import FcsynthRedis
import Foundation
import Logging
import Synchronization

/// Adaptive concurrency from the endpoint's own 429s: the fleet shares one concurrency window
/// in Redis (`adjust_pace.lua`), which starts at `initial` per worker and doubles with
/// successes until the first concurrency 429, then grows by one for each window's worth of
/// successes and halves on a concurrency 429; each worker keeps at most its share of it in flight, and never
/// more than its `--concurrency`. A rate 429 leaves the window alone (`FleetBackoff` waits out
/// the reset instead). Redis is asked once per refresh interval, or sooner when a worker below
/// its ceiling has seen a window's worth of successes, and only while calls happen; between, the
/// worker works from its cached share, and halves it by itself at once when it hears a
/// concurrency 429.
public final class FleetPace: LLMCallObserver {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var cap: Int
        var inFlight = 0
        var waiters: [Waiter] = []
        var cancelled: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
        var successes = 0
        var throttles = 0
        var lastRefresh: ContinuousClock.Instant?
        var refreshing = false
        var lastLocalCut: ContinuousClock.Instant?
        var window: Int?
        var live = 1
    }

    /// This worker's ceiling: its `--concurrency`.
    public let concurrency: Int
    public let refreshInterval: Duration
    /// After a cut, further concurrency 429s are taken for the same overload this long.
    public let hold: Duration
    /// Each worker's share of the window before the fleet has heard anything.
    public let initial: Int
    private let redis: RedisClient
    private let keys: RunKeys
    private let worker: String
    private let logger: Logger
    private let state: Mutex<State>

    public init(
        redis: RedisClient, namespace: String, worker: String, concurrency: Int,
        refreshInterval: Duration = .seconds(1), hold: Duration = .seconds(1), initial: Int = 8,
        logger: Logger = Logger(label: "fcsynth.worker")
    ) {
        self.redis = redis
        // The pace keys are the namespace's; the run named here is never part of them.
        self.keys = RunKeys(namespace: namespace, run: "pace")
        self.worker = worker
        self.concurrency = max(1, concurrency)
        self.refreshInterval = refreshInterval
        self.hold = hold
        self.initial = max(1, initial)
        self.logger = logger
        state = Mutex(State(cap: min(max(1, concurrency), max(1, initial))))
    }

    /// The most calls this worker lets into the endpoint at once, now.
    public var cap: Int { state.withLock { $0.cap } }

    /// The fleet's window as Redis last gave it, and the workers sharing it; nil before the first answer.
    public var window: (window: Int, live: Int)? {
        state.withLock { state in state.window.map { ($0, state.live) } }
    }

    /// Waits for a place among the calls in flight; `release()` gives it back.
    package func acquire() async throws {
        try Task.checkCancellation()
        refreshIfDue()
        let id = state.withLock { state -> UInt64? in
            if state.waiters.isEmpty && state.inFlight < state.cap {
                state.inFlight += 1
                return nil
            }
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Bool, CancellationError> in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if state.waiters.isEmpty && state.inFlight < state.cap {
                        state.inFlight += 1
                        return .success(true)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .success(false)
                }
                switch outcome {
                case .success(true): continuation.resume()
                case .success(false): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // A waiter admitted after its cancellation arrived finds its id no longer pending.
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    package func release() {
        let admitted = state.withLock { state -> [Waiter] in
            state.inFlight -= 1
            return Self.admit(&state)
        }
        for waiter in admitted { waiter.continuation.resume() }
    }

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {}

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        state.withLock { $0.successes += 1 }
        refreshIfDue()
    }

    public func llmThrottled(call: String, kind: ThrottleKind, wait: Double?) {
        guard kind == .concurrency else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            state.throttles += 1
            if state.lastLocalCut.map({ now - $0 >= hold }) ?? true {
                state.lastLocalCut = now
                state.cap = max(1, state.cap / 2)
            }
        }
        refresh(force: true)
    }

    private func refreshIfDue() {
        refresh(force: false)
    }

    /// Reports what was heard and takes the fleet's window back, in a task of its own: no call waits on Redis.
    private func refresh(force: Bool) {
        let now = ContinuousClock.now
        let report = state.withLock { state -> (successes: Int, throttles: Int)? in
            guard !state.refreshing else { return nil }
            if !force, let last = state.lastRefresh, now - last < refreshInterval {
                // Below its ceiling, a worker reports each window's worth of successes at once
                // (one exchange at a time), so that the window grows per round of calls: at the
                // start of a run, a second per doubling would leave most slots idle for seconds.
                guard state.cap < concurrency && state.successes >= state.cap else { return nil }
            }
            state.refreshing = true
            state.lastRefresh = now
            defer { (state.successes, state.throttles) = (0, 0) }
            return (state.successes, state.throttles)
        }
        guard let report else { return }
        Task { await exchange(report) }
    }

    private func exchange(_ report: (successes: Int, throttles: Int)) async {
        let milliseconds = { (duration: Duration) in Int(duration / .milliseconds(1)) }
        let reply = try? await PipelineScripts.adjustPace.evaluate(
            on: redis, keys: keys,
            arguments: [
                worker, concurrency, report.successes, report.throttles, milliseconds(hold),
                max(5_000, milliseconds(refreshInterval) * 5), initial,
            ])
        let values = reply?.array?.compactMap(\.integer) ?? []
        let (admitted, again) = state.withLock { state -> ([Waiter], Bool) in
            state.refreshing = false
            // A 429 heard while this exchange was under way is reported at once.
            let again = state.throttles > 0
            guard values.count == 2 else { return ([], again) }
            let (window, live) = (Int(values[0]), max(1, Int(values[1])))
            state.window = window
            state.live = live
            state.cap = min(concurrency, max(1, window / live))
            return (Self.admit(&state), again)
        }
        if values.count != 2 {
            logger.debug("could not read the fleet's pace; keeping this worker's", metadata: ["worker": "\(worker)"])
        }
        for waiter in admitted { waiter.continuation.resume() }
        if again { refresh(force: true) }
    }

    /// Lets waiters in, first come first served, while there is room under the cap.
    private static func admit(_ state: inout State) -> [Waiter] {
        var admitted: [Waiter] = []
        while state.inFlight < state.cap, !state.waiters.isEmpty {
            admitted.append(state.waiters.removeFirst())
            state.inFlight += 1
        }
        return admitted
    }
}
