/// Everything that shapes one simulator server: where it listens, how slow and how faulty it is.
public struct SimulatorOptions: Sendable {
    /// A numeric IPv4 or IPv6 address (or `localhost`).
    public var host: String
    /// 0 picks any free port.
    public var port: Int
    public var latency: SimulatorLatency
    /// The chance that a request without a directive gets a random fault from `faultKinds`.
    public var faultRate: Double
    public var faultKinds: [SimulatorFault]
    /// Sent as `Retry-After` with every 429.
    public var retryAfterSeconds: Int
    /// Seeds latency and random faults, so that a run repeats for the same arrival order.
    public var seed: UInt64
    /// When set, requests must carry `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// The size of the `large` fault's body.
    public var largeBodyBytes: Int
    /// Request bodies beyond this are refused with 413.
    public var maxRequestBytes: Int
    public var backlog: Int32
    /// Answers a request asking for `response_format` `json_schema` with a 400, as endpoints
    /// that support only `json_object` do.
    public var rejectsJSONSchema = false
    /// Answers carry no `usage`, as some self-hosted servers send them.
    public var omitsUsage = false
    /// The share of each answer's prompt tokens reported as served from a prompt cache
    /// (`prompt_tokens_details.cached_tokens`), from 0 to 1.
    public var cachedPromptShare = 0.0
    /// Requests in flight at once beyond which a request is refused with a concurrency 429; 0: no limit.
    public var concurrencyLimit = 0
    /// Per-minute budgets (`SimulatorRateLimiter`): past them a request gets a rate 429, and every
    /// answer carries `x-ratelimit-*` headers; 0: no limit.
    public var requestsPerMinute = 0
    public var tokensPerMinute = 0
    /// How many seconds of those budgets a full bucket holds: 60, a minute's worth, as OpenAI's.
    public var rateBurstSeconds = 60.0
    /// How long a batch (`POST /v1/batches`) stays in progress before it completes.
    public var batchTurnaroundMilliseconds = 1_000
    /// The share of a batch's lines, 0 to 1, answered with an error in its error file.
    public var batchFailureRate = 0.0
    /// The share of batches, 0 to 1, that expire with only their first half answered.
    public var batchExpireRate = 0.0

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        latency: SimulatorLatency = .none,
        faultRate: Double = 0,
        faultKinds: [SimulatorFault] = [.serverError, .rateLimited],
        retryAfterSeconds: Int = 1,
        seed: UInt64 = 0,
        apiKey: String? = nil,
        largeBodyBytes: Int = 64 << 20,
        maxRequestBytes: Int = 16 << 20,
        backlog: Int32 = 4096
    ) {
        self.host = host
        self.port = port
        self.latency = latency
        self.faultRate = min(max(faultRate, 0), 1)
        self.faultKinds = faultKinds
        self.retryAfterSeconds = max(0, retryAfterSeconds)
        self.seed = seed
        self.apiKey = apiKey
        self.largeBodyBytes = max(0, largeBodyBytes)
        self.maxRequestBytes = maxRequestBytes
        self.backlog = backlog
    }

    /// Answers at once, without faults, on a free loopback port.
    public static func loopback(port: Int = 0) -> SimulatorOptions {
        SimulatorOptions(port: port)
    }

    /// Answers after `latency`, on a free loopback port.
    public static func loopback(port: Int = 0, latency: SimulatorLatency, seed: UInt64 = 0) -> SimulatorOptions {
        SimulatorOptions(port: port, latency: latency, seed: seed)
    }

    /// Injects a random fault from `kinds` into a `rate` share of the requests.
    public static func faulty(rate: Double, kinds: [SimulatorFault], seed: UInt64 = 0) -> SimulatorOptions {
        SimulatorOptions(faultRate: rate, faultKinds: kinds, seed: seed)
    }
}

extension SimulatorOptions {
    /// Whether `host` is 127.0.0.0/8, ::1 or `localhost`; throws for a host that is not a numeric address.
    public static func isLoopback(host: String) throws(SimulatorOptionsError) -> Bool {
        do {
            return try SimulatorSocketAddress(host: host, port: 0).isLoopback
        } catch {
            throw .invalidHost(host)
        }
    }
}
