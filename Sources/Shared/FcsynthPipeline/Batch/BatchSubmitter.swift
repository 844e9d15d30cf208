import FcsynthCore
import FcsynthRedis
import Foundation
import Logging
import Synchronization

/// The batch side of a worker: while it leads a batch-mode run (one leader per run, elected
/// through Redis), it gathers the run's pending requests into batches, submits them, polls
/// them, and settles their answers into the parked tasks' replay hashes. Every state change is
/// one script, and a draft is looked for at the provider before it is submitted, so that a
/// leader that dies at any point loses nothing and submits nothing twice.
package final class BatchSubmitter: Sendable {
    package let endpoint: any BatchEndpoint
    /// The worker's id: whose lead it is.
    package let token: String
    package let lease: Duration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// Provider batch id → when to ask about it next, and the wait after that.
        var polls: [String: (due: ContinuousClock.Instant, interval: Duration)] = [:]
        /// Draft → failed submissions in a row that the provider refused (4xx).
        var refusals: [String: Int] = [:]
        /// Runs whose lead this worker holds, to say so once when it takes or loses it.
        var leading: Set<String> = []
        var reported: Set<String> = []
    }

    /// How often a batch that is not done yet is asked about: from the first to the longest.
    package static let firstPoll = Duration.seconds(1)
    package static let longestPoll = Duration.seconds(60)
    /// Submissions of a draft the provider refuses before its requests count a failed attempt.
    package static let refusalsPerAttempt = 3
    /// Lines per settle script: each is a few kB of answer, and Redis runs one script at a time.
    package static let linesPerSettlement = 200

    package init(endpoint: any BatchEndpoint, token: String, lease: Duration, logger: Logger) {
        self.endpoint = endpoint
        self.token = token
        self.lease = lease
        self.logger = logger
    }

    /// One pass over a batch-mode run, as its leader if it can take the lead. Redis or provider
    /// errors end the pass; the next one starts again from what Redis holds.
    package func step(redis: RedisClient, keys: RunKeys, settings: RunSettings) async {
        guard let batch = settings.batch else { return }
        let store = BatchStore(redis: redis, keys: keys)
        do {
            let leads = try await store.lead(token: token, lease: lease)
            noteLead(leads, run: keys.run)
            guard leads else { return }
            let overview = try await store.overview()
            if overview.state == RunState.cancelled.rawValue {
                try await cancelAll(overview.batches, store: store)
                return
            }
            for (id, record) in overview.batches.sorted(by: { $0.key < $1.key }) {
                switch record.state {
                case .drafting: try await submit(id, store: store, settings: settings)
                case .submitted: try await poll(id, record, store: store, settings: settings)
                }
            }
            let drafting = overview.batches.values.contains { $0.state == .drafting }
            if !drafting, overview.pending > 0, Self.roundIsReady(overview, batch) {
                let id = Self.newBatchID()
                let count = try await store.draft(id, token: token, settings: batch, limits: endpoint.limits)
                if count > 0 { try await submit(id, store: store, settings: settings) }
            }
        } catch let error as LLMError {
            warnOnce(
                "the batch endpoint failed; trying again", run: keys.run, kind: error.kind,
                metadata: ["error": "\(error)"])
        } catch {
            logger.debug("batch pass ended", metadata: ["run": "\(keys.run)", "error": "\(error)"])
        }
    }

    /// Gives up the lead at a clean stop, so that another worker takes it at once.
    package func resign(redis: RedisClient, keys: RunKeys) async {
        guard state.withLock({ $0.leading.contains(keys.run) }) else { return }
        // The lease shortened to 1 ms ends it: only the holder's token can.
        _ = try? await BatchStore(redis: redis, keys: keys).lead(token: token, lease: .milliseconds(1))
    }

    /// A round goes out when nothing else can join it, when it is full, or when its oldest
    /// request has waited the run's window.
    package static func roundIsReady(_ overview: BatchStore.Overview, _ settings: BatchSettings) -> Bool {
        if overview.runnable == 0 || overview.pending >= settings.maxRequests { return true }
        guard let waited = overview.oldestPendingWait else { return false }
        return waited >= .milliseconds(Int64(settings.window * 1000))
    }

    /// The provider's no to this batch, not to every call: a 4xx other than a credential, rate
    /// or timeout answer, which pass or are the endpoint's.
    private static func isRefusal(_ error: LLMError) -> Bool {
        guard case .httpStatus(let status, _, _) = error else { return false }
        return (400..<500).contains(status) && ![401, 403, 408, 429].contains(status)
    }

    /// Sorts by when it was made: ms since 1970, then a random part.
    private static func newBatchID() -> String {
        let milliseconds = Int(Date().timeIntervalSince1970 * 1000)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(milliseconds)-\(String(repeating: "0", count: 8 - random.count) + random)"
    }

    /// The label a draft's provider batch carries in its metadata, by which a later leader finds it.
    private static func label(_ batch: String, keys: RunKeys) -> [String: String] {
        ["fcsynth_batch": "\(keys.namespace)/\(keys.run)/\(batch)"]
    }

    /// Submits a draft, unless the provider already has it (a leader died after creating it).
    private func submit(_ id: String, store: BatchStore, settings: RunSettings) async throws {
        let requests = try await store.requests(of: id)
        let label = Self.label(id, keys: store.keys)
        let job: BatchJob
        var inputFile = ""
        do {
            if let found = try await endpoint.find(metadata: label, searching: 1_000) {
                job = found
            } else {
                let lines = requests.values.sorted { $0.id < $1.id }.map {
                    BatchRequest(customID: $0.customID, request: $0.request)
                }
                inputFile = try await endpoint.upload(lines)
                job = try await endpoint.create(
                    inputFile: inputFile, metadata: label.merging(["fcsynth_run": store.keys.run]) { $1 })
            }
        } catch {
            let refusal: LLMError = error
            guard Self.isRefusal(refusal) else { throw refusal }
            try await refused(id, error: refusal, requests: requests, store: store, settings: settings)
            return
        }
        state.withLock { $0.refusals[id] = nil }
        switch try await store.record(id, providerID: job.id, inputFile: inputFile) {
        case 1:
            logger.notice(
                "batch submitted",
                metadata: [
                    "run": "\(store.keys.run)", "batch": "\(id)", "provider_batch": "\(job.id)",
                    "requests": "\(requests.count)",
                ])
        default:
            // Another leader's batch holds this draft's requests, or the draft was settled.
            _ = try? await endpoint.cancel(job.id)
        }
    }

    /// A draft the provider refuses (too big, a bad line): after a few tries, each request
    /// counts a failed attempt, so that a request it can never take ends dead, not in a loop.
    private func refused(
        _ id: String, error: LLMError, requests: [String: ParkedRequest], store: BatchStore, settings: RunSettings
    ) async throws {
        let count = state.withLock { state -> Int in
            state.refusals[id, default: 0] += 1
            return state.refusals[id] ?? 0
        }
        logger.warning(
            "the batch endpoint refused a batch",
            metadata: ["run": "\(store.keys.run)", "batch": "\(id)", "error": "\(error)", "refusals": "\(count)"])
        guard count >= Self.refusalsPerAttempt else { return }
        state.withLock { $0.refusals[id] = nil }
        let reasons = Dictionary(uniqueKeysWithValues: requests.keys.map { ($0, "\(error)") })
        try await settle(id, requests: requests, answers: [:], failures: reasons, store: store, settings: settings)
    }

    private func poll(_ id: String, _ record: BatchRecord, store: BatchStore, settings: RunSettings) async throws {
        guard let providerID = record.providerID else { return }
        let now = ContinuousClock.now
        let due = state.withLock { $0.polls[providerID]?.due ?? now }
        guard now >= due else { return }
        let job = try await endpoint.job(providerID)
        guard job.status.isFinal else {
            state.withLock { state in
                let interval = state.polls[providerID].map { min(Self.longestPoll, $0.interval * 3 / 2) }
                state.polls[providerID] = (now + (interval ?? Self.firstPoll), interval ?? Self.firstPoll)
            }
            return
        }
        let results = try await endpoint.results(of: job)
        let requests = try await store.requests(of: id)
        var answers: [String: ChatResponse] = [:]
        var failures: [String: String] = [:]
        for result in results {
            guard let requestID = ParkedRequest.id(inCustomID: result.customID), requests[requestID] != nil else {
                continue
            }
            switch result.outcome {
            case .answered(let response): answers[requestID] = response
            case .failed(let code, let message): failures[requestID] = "\(code): \(message)"
            }
        }
        let unanswered =
            job.status == .completed
            ? "the batch's files hold no line for it"
            : "batch \(job.status.rawValue)" + (job.errors.isEmpty ? "" : ": " + job.errors.joined(separator: "; "))
        for requestID in requests.keys where answers[requestID] == nil && failures[requestID] == nil {
            failures[requestID] = unanswered
        }
        try await settle(id, requests: requests, answers: answers, failures: failures, store: store, settings: settings)
        state.withLock { _ = $0.polls.removeValue(forKey: providerID) }
        logger.notice(
            "batch settled",
            metadata: [
                "run": "\(store.keys.run)", "batch": "\(id)", "provider_batch": "\(providerID)",
                "status": "\(job.status.rawValue)", "answered": "\(answers.count)", "failed": "\(failures.count)",
            ])
    }

    /// Writes what became of each request, a chunk at a time: answered, back to pending with
    /// one attempt more, or dead past the run's attempt limit.
    private func settle(
        _ id: String, requests: [String: ParkedRequest], answers: [String: ChatResponse], failures: [String: String],
        store: BatchStore, settings: RunSettings
    ) async throws {
        let dying = requests.values.filter { failures[$0.id] != nil && $0.attempts + 1 >= settings.maxAttempts }
        let parked = try await store.parkedTasks(dying.map(\.tid))
        var lines: [BatchSettlement] = []
        for request in requests.values.sorted(by: { $0.id < $1.id }) {
            if let response = answers[request.id] {
                var reply = StoredReply(response)
                reply.batch = true
                lines.append(BatchSettlement(request: request, outcome: .answer(reply)))
            } else if let reason = failures[request.id] {
                var next = request
                next.attempts += 1
                next.lastError = reason
                guard next.attempts >= settings.maxAttempts else {
                    lines.append(BatchSettlement(request: request, outcome: .retry(next)))
                    continue
                }
                let entry = parked[request.tid]
                let envelope = entry.flatMap { try? TaskEnvelope.decode($0) }
                let record = RemovedItem(
                    id: envelope?.item.id, line: envelope?.item.line, stage: request.stage.rawValue,
                    reason: "the batch endpoint failed this request \(next.attempts) times; the last: \(reason)",
                    attempts: next.attempts, item: nil, task: entry.map { String(decoding: $0, as: UTF8.self) })
                lines.append(BatchSettlement(request: request, outcome: .fail(record)))
            }
        }
        var start = 0
        repeat {
            let chunk = Array(lines[start..<min(lines.count, start + Self.linesPerSettlement)])
            _ = try await store.settle(id, lines: chunk)
            start += Self.linesPerSettlement
        } while start < lines.count
    }

    /// A cancelled run: its batches are cancelled at the provider and forgotten.
    private func cancelAll(_ batches: [String: BatchRecord], store: BatchStore) async throws {
        for (id, record) in batches {
            var providerID = record.providerID
            if providerID == nil {
                providerID = try await endpoint.find(metadata: Self.label(id, keys: store.keys), searching: 1_000)?.id
            }
            if let providerID { _ = try await endpoint.cancel(providerID) }
            try await store.forget(id)
            logger.notice(
                "batch cancelled with its run",
                metadata: ["run": "\(store.keys.run)", "batch": "\(id)", "provider_batch": "\(providerID ?? "none")"])
        }
    }

    private func noteLead(_ leads: Bool, run: String) {
        let changed = state.withLock { state -> Bool in
            leads ? state.leading.insert(run).inserted : state.leading.remove(run) != nil
        }
        guard changed else { return }
        logger.notice(
            leads ? "leading the run's batches" : "no longer leading the run's batches", metadata: ["run": "\(run)"])
    }

    private func warnOnce(_ message: Logger.Message, run: String, kind: String, metadata: Logger.Metadata) {
        let first = state.withLock { $0.reported.insert("\(run)/\(kind)").inserted }
        if first {
            logger.warning(message, metadata: metadata.merging(["run": "\(run)"]) { $1 })
        } else {
            logger.debug(message, metadata: metadata.merging(["run": "\(run)"]) { $1 })
        }
    }
}
