import Foundation
import Logging

/// Gathers finished tasks and writes them in as few script calls as possible: while one
/// call is out, the next batch accumulates. A caller returns once its hand-off is written,
/// so a task's slot is only freed when its result is safe in Redis.
package actor HandOffBatcher {
    private struct Pending {
        var completion: Completion
        var continuation: CheckedContinuation<Void, Never>
    }

    private let logger: Logger
    /// Told of the run and how many of a batch's tasks the worker no longer owned.
    private let onStale: @Sendable (String, Int) async -> Void
    private var pending: [String: [Pending]] = [:]
    private var queues: [String: TaskQueue] = [:]
    private var flushing = false
    private var abandoned = false

    package init(logger: Logger, onStale: @escaping @Sendable (String, Int) async -> Void) {
        self.logger = logger
        self.onStale = onStale
    }

    package func submit(_ completion: Completion, to queue: TaskQueue) async {
        let run = queue.keys.run
        guard !abandoned else { return }
        await withCheckedContinuation { continuation in
            queues[run] = queue
            pending[run, default: []].append(Pending(completion: completion, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
    }

    /// Stops writing: at the end of a drain, with Redis unreachable, the worker must still
    /// exit. Unwritten tasks stay in its in-flight hash until release or lease expiry.
    package func abandon() {
        abandoned = true
        for waiting in pending.values.flatMap({ $0 }) { waiting.continuation.resume() }
        pending = [:]
    }

    private func flush() async {
        while !abandoned, let run = pending.first(where: { !$0.value.isEmpty })?.key {
            let batch = Array(pending[run]!.prefix(256))
            pending[run]!.removeFirst(batch.count)
            await write(batch, run: run)
            for item in batch { item.continuation.resume() }
        }
        flushing = false
    }

    /// Retries until Redis takes the batch: hand-offs are idempotent, since the script writes
    /// only for tasks the worker still owns.
    private func write(_ batch: [Pending], run: String) async {
        guard let queue = queues[run] else { return }
        var delay = 0.05
        var reported = false
        while !abandoned {
            do {
                let result = try await queue.complete(batch.map(\.completion))
                if !result.stale.isEmpty { await onStale(run, result.stale.count) }
                return
            } catch {
                if !reported {
                    logger.warning("hand-off failed; retrying", metadata: ["run": "\(run)", "error": "\(error)"])
                    reported = true
                }
                try? await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 2)
            }
        }
    }
}
