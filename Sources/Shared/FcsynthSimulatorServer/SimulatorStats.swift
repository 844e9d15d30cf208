import FcsynthCore

/// What the simulator has seen since start (or the last `POST /stats/reset`), served at `GET /stats`.
public struct SimulatorStats: Codable, Sendable, Hashable {
    /// Chat-completion requests received, answered or not.
    public var requestsTotal = 0
    /// Requests by their `X-Fcsynth-Stage` header; `(none)` for requests without one.
    public var byCall: [String: Int] = [:]
    /// Injected faults by kind (`SimulatorFault` raw values).
    public var faults: [String: Int] = [:]
    /// Requests that asked for `response_format` JSON.
    public var jsonMode = 0
    /// Requests that asked for `response_format` `json_schema`.
    public var jsonSchema = 0
    /// Requests that carried the required bearer key.
    public var authorized = 0
    /// Requests refused with 401.
    public var unauthorized = 0
    /// Chat-completion requests received and not yet answered, hung ones included.
    public var inFlight = 0
    public var maxInFlight = 0
    /// Connections held open by the `hang` fault right now.
    public var hungConnections = 0
    public var openConnections = 0
    /// The simulated latencies applied, summed.
    public var sumLatencySeconds = 0.0
    /// Chat-completion requests by the Unix second they arrived in.
    public var perSecond: [String: Int] = [:]
    /// Chat-completion answers by HTTP status.
    public var status: [String: Int] = [:]
    /// Chat-completion requests by the `service_tier` they carried; `(none)` for none.
    public var serviceTiers: [String: Int] = [:]
    /// The usage the answers reported, summed: what an endpoint would bill.
    public var promptTokens = 0
    public var completionTokens = 0
    public var cachedTokens = 0
    /// 429s from the simulator's own limits, by the limit: `concurrency`, `requests`, `tokens`.
    public var throttled: [String: Int] = [:]
    /// Batches created, and the lines of theirs answered, with the tokens of those answers
    /// (counted apart from the online calls', since a batch is priced apart).
    public var batches = 0
    public var batchRequests = 0
    public var batchPromptTokens = 0
    public var batchCompletionTokens = 0

    public init() {}

    package enum CodingKeys: String, CodingKey {
        case requestsTotal = "requests_total"
        case byCall = "by_call"
        case faults
        case jsonMode = "json_mode"
        case jsonSchema = "json_schema"
        case authorized
        case unauthorized
        case inFlight = "in_flight"
        case maxInFlight = "max_in_flight"
        case hungConnections = "hung_connections"
        case openConnections = "open_connections"
        case sumLatencySeconds = "sum_latency_seconds"
        case perSecond = "per_second"
        case status
        case serviceTiers = "service_tiers"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case cachedTokens = "cached_tokens"
        case throttled
        case batches
        case batchRequests = "batch_requests"
        case batchPromptTokens = "batch_prompt_tokens"
        case batchCompletionTokens = "batch_completion_tokens"
    }

    public func count(call: String?) -> Int {
        byCall[call ?? Self.noCall] ?? 0
    }

    public func count(fault: SimulatorFault) -> Int {
        faults[fault.rawValue] ?? 0
    }

    /// 429s from the concurrency limit.
    public var concurrencyThrottled: Int { throttled["concurrency"] ?? 0 }
    /// 429s from the per-minute budgets, requests and tokens together.
    public var rateThrottled: Int { (throttled["requests"] ?? 0) + (throttled["tokens"] ?? 0) }

    public func count(status code: Int) -> Int {
        status[String(code)] ?? 0
    }

    package static let noCall = "(none)"
    package static let noTier = "(none)"
    /// `perSecond` keeps the last hour, so that a long run's stats stay small.
    package static let secondsKept = 3600
}

extension SimulatorStats {
    package mutating func recordArrival(call: String?, unixSecond: Int) {
        requestsTotal += 1
        byCall[call ?? Self.noCall, default: 0] += 1
        let second = String(unixSecond)
        if perSecond[second] == nil, perSecond.count >= Self.secondsKept {
            perSecond = perSecond.filter { (Int($0.key) ?? 0) > unixSecond - Self.secondsKept }
        }
        perSecond[second, default: 0] += 1
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
    }

    package mutating func recordAnswer(status code: Int) {
        status[String(code), default: 0] += 1
        inFlight -= 1
    }

    package mutating func record(usage: TokenUsage) {
        promptTokens += usage.promptTokens
        completionTokens += usage.completionTokens
        cachedTokens += usage.cachedTokens
    }

    package mutating func record(fault: SimulatorFault) {
        faults[fault.rawValue, default: 0] += 1
    }

    /// Clears the counters but keeps the gauges that describe live connections.
    package mutating func reset() {
        var fresh = SimulatorStats()
        fresh.inFlight = inFlight
        fresh.maxInFlight = inFlight
        fresh.hungConnections = hungConnections
        fresh.openConnections = openConnections
        self = fresh
    }
}
