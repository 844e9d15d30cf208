import FcsynthCore
import FcsynthRedis
import FcsynthStages
import Foundation
import Synchronization

/// A worker process's own numbers, for its Prometheus endpoint: what it did, not what the
/// fleet did (that is `fcsynth status`).
public final class WorkerMetrics: LLMCallObserver {
    package static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: WorkerMetrics.latencyBuckets.count)
        var sum = 0.0
        var total = 0
    }

    private struct State {
        var stageCounters: [String: Int] = [:]
        var latency: [String: Histogram] = [:]
        var llmErrors: [String: Int] = [:]
        var redisErrors: [String: Int] = [:]
        var throttled: [String: Int] = [:]
        var inFlight = 0
        var pace: FleetPace?
    }

    private let state = Mutex(State())

    public init() {}

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        state.withLock { $0.llmErrors[error.kind, default: 0] += 1 }
    }

    public func llmThrottled(call: String, kind: ThrottleKind, wait: Double?) {
        state.withLock { $0.throttled[kind.rawValue, default: 0] += 1 }
    }

    /// Shows the pace's share of the fleet's window in the exposition.
    public func watch(_ pace: FleetPace) {
        state.withLock { $0.pace = pace }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        state.withLock { state in
            var histogram = state.latency[call] ?? Histogram()
            for (index, bound) in Self.latencyBuckets.enumerated() where response.latency <= bound {
                histogram.counts[index] += 1
            }
            histogram.sum += response.latency
            histogram.total += 1
            state.latency[call] = histogram
        }
    }

    /// Counts what a hand-off records, by the same counter names the run's hash uses.
    package func record(_ completion: Completion) {
        state.withLock { state in
            for case .increment(let field, let amount) in completion.operations {
                state.stageCounters[field, default: 0] += amount
            }
        }
    }

    package func recordRedisError(_ error: RedisError) {
        let kind: String =
            switch error {
            case .server: "server"
            case .unavailable: "unavailable"
            case .connectionLost: "connection_lost"
            case .authentication: "authentication"
            default: "other"
            }
        state.withLock { $0.redisErrors[kind, default: 0] += 1 }
    }

    package func taskStarted() { state.withLock { $0.inFlight += 1 } }
    package func taskEnded() { state.withLock { $0.inFlight -= 1 } }

    /// The Prometheus text exposition.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var text = ""
        text += "# HELP fcsynth_tasks_in_flight Tasks this worker holds now.\n# TYPE fcsynth_tasks_in_flight gauge\n"
        text += "fcsynth_tasks_in_flight \(snapshot.inFlight)\n"
        if let pace = snapshot.pace {
            text +=
                "# HELP fcsynth_llm_pace_cap LLM calls this worker lets in flight now: its share of the fleet's window (--pace adaptive).\n# TYPE fcsynth_llm_pace_cap gauge\n"
            text += "fcsynth_llm_pace_cap \(pace.cap)\n"
        }
        text +=
            "# HELP fcsynth_llm_throttled_total HTTP 429 answers by kind: concurrency (too many at once) or rate (too many per minute).\n# TYPE fcsynth_llm_throttled_total counter\n"
        for kind in ["concurrency", "rate"] {
            text += "fcsynth_llm_throttled_total{kind=\"\(kind)\"} \(snapshot.throttled[kind] ?? 0)\n"
        }

        // Each family's samples follow its own HELP and TYPE lines, as the exposition format asks.
        let counters = snapshot.stageCounters.sorted(by: { $0.key < $1.key }).compactMap {
            field, value -> (kind: String, rest: String, value: Int)? in
            let parts = field.split(separator: ":", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1], value) : nil
        }
        func family(_ name: String, _ help: String, _ samples: [String]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for sample in samples { text += name + sample + "\n" }
        }
        family(
            "fcsynth_stage_tasks_total", "Tasks this worker finished, by stage and outcome.",
            counters.filter { ["done", "failed", "retried", "filtered"].contains($0.kind) }.map {
                "{stage=\"\($0.rest)\",outcome=\"\($0.kind)\"} \($0.value)"
            })
        family(
            "fcsynth_llm_tokens_total", "Tokens this worker's calls used, by stage and kind.",
            counters.compactMap { counter in
                let kind = ["tokens_prompt": "prompt", "tokens_completion": "completion"][counter.kind]
                return kind.map { "{stage=\"\(counter.rest)\",kind=\"\($0)\"} \(counter.value)" }
            })
        family(
            "fcsynth_llm_replayed_calls_total", "LLM calls this worker answered from tasks' replay stores, by stage.",
            counters.filter { $0.kind == "replayed_calls" }.map { "{stage=\"\($0.rest)\"} \($0.value)" })
        family(
            "fcsynth_llm_cache_hits_total",
            "LLM calls this worker answered from the response cache (--cache), by stage.",
            counters.filter { $0.kind == "cache_hits" }.map { "{stage=\"\($0.rest)\"} \($0.value)" })
        family(
            "fcsynth_llm_tokens_saved_total", "Tokens the replayed and cached calls would have cost, by stage.",
            counters.filter { $0.kind == "tokens_saved" }.map { "{stage=\"\($0.rest)\"} \($0.value)" })
        family(
            "fcsynth_task_errors_total", "Failed task attempts, by kind.",
            counters.filter { $0.kind == "errors" }.map { "{kind=\"\($0.rest)\"} \($0.value)" })

        text +=
            "# HELP fcsynth_llm_request_duration_seconds Successful LLM calls' latency, by call.\n# TYPE fcsynth_llm_request_duration_seconds histogram\n"
        for (call, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.latencyBuckets.enumerated() {
                text +=
                    "fcsynth_llm_request_duration_seconds_bucket{call=\"\(call)\",le=\"\(bound)\"} \(histogram.counts[index])\n"
            }
            text += "fcsynth_llm_request_duration_seconds_bucket{call=\"\(call)\",le=\"+Inf\"} \(histogram.total)\n"
            text += "fcsynth_llm_request_duration_seconds_sum{call=\"\(call)\"} \(histogram.sum)\n"
            text += "fcsynth_llm_request_duration_seconds_count{call=\"\(call)\"} \(histogram.total)\n"
        }

        text +=
            "# HELP fcsynth_llm_errors_total Failed LLM attempts, retried ones included, by kind.\n# TYPE fcsynth_llm_errors_total counter\n"
        for (kind, value) in snapshot.llmErrors.sorted(by: { $0.key < $1.key }) {
            text += "fcsynth_llm_errors_total{kind=\"\(kind)\"} \(value)\n"
        }
        text +=
            "# HELP fcsynth_judge_scores_total Judged items by criterion and the score they got there.\n# TYPE fcsynth_judge_scores_total counter\n"
        for (field, value) in snapshot.stageCounters.sorted(by: { $0.key < $1.key })
        where field.hasPrefix(ConversationJudge.counterPrefix) {
            let parts = field.dropFirst(ConversationJudge.counterPrefix.count).split(separator: ":")
            guard parts.count == 2 else { continue }
            text += "fcsynth_judge_scores_total{criterion=\"\(parts[0])\",score=\"\(parts[1])\"} \(value)\n"
        }
        text +=
            "# HELP fcsynth_redis_errors_total Failed Redis calls, by kind.\n# TYPE fcsynth_redis_errors_total counter\n"
        for (kind, value) in snapshot.redisErrors.sorted(by: { $0.key < $1.key }) {
            text += "fcsynth_redis_errors_total{kind=\"\(kind)\"} \(value)\n"
        }
        return text
    }
}
