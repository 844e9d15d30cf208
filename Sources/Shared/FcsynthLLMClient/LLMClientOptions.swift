import Foundation

/// Where and how the HTTP client talks to an OpenAI-compatible endpoint.
public struct LLMClientOptions: Sendable {
    /// The API root, e.g. `http://127.0.0.1:8000/v1`; requests go to `{baseURL}/chat/completions`.
    public var baseURL: String
    public var model: String
    public var apiKey: APIKey?
    /// The limit on one attempt, from its submission to the last byte; time spent waiting for
    /// a free connection counts.
    public var requestTimeout: Duration
    public var connectTimeout: Duration
    /// Open connections to the endpoint; transfers beyond it wait for a free one. HTTP/1.1
    /// carries one call per connection, so by default it does not bind before the worker's
    /// own concurrency does.
    public var maxConnections: Int
    /// A longer body fails the attempt with `LLMError.responseTooLarge`.
    public var maxResponseBytes: Int
    public var retry: RetryPolicy

    public init(
        baseURL: String,
        model: String,
        apiKey: APIKey? = nil,
        requestTimeout: Duration = .seconds(180),
        connectTimeout: Duration = .seconds(10),
        maxConnections: Int = 16_384,
        maxResponseBytes: Int = 4 << 20,
        retry: RetryPolicy = .default
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.maxConnections = maxConnections
        self.maxResponseBytes = maxResponseBytes
        self.retry = retry
    }

    /// Options from `FCSYNTH_LLM_URL`, `FCSYNTH_MODEL` and the key in `FCSYNTH_API_KEY`,
    /// else `OPENAI_API_KEY`; `FCSYNTH_LLM_TIMEOUT` (seconds per attempt) and
    /// `FCSYNTH_LLM_MAX_RESPONSE_BYTES` override those limits. Everything else keeps its default.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LLMClientOptions {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        func required(_ name: String) throws -> String {
            guard let value = value(name) else { throw LLMConfigurationError.missingVariable(name) }
            return value
        }
        let key =
            environment["FCSYNTH_API_KEY"].flatMap(APIKey.init) ?? environment["OPENAI_API_KEY"].flatMap(APIKey.init)
        var options = LLMClientOptions(
            baseURL: try required("FCSYNTH_LLM_URL"), model: try required("FCSYNTH_MODEL"), apiKey: key)
        if let text = value("FCSYNTH_LLM_TIMEOUT") {
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw LLMConfigurationError.invalidVariable(
                    "FCSYNTH_LLM_TIMEOUT", expected: "a positive number of seconds")
            }
            options.requestTimeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        if let text = value("FCSYNTH_LLM_MAX_RESPONSE_BYTES") {
            guard let bytes = Int(text), bytes > 0 else {
                throw LLMConfigurationError.invalidVariable(
                    "FCSYNTH_LLM_MAX_RESPONSE_BYTES", expected: "a positive number of bytes")
            }
            options.maxResponseBytes = bytes
        }
        return options
    }

    /// The endpoint as records name it: host and port only, so that no user, password or
    /// query string (where some gateways put keys) can reach a record.
    package var endpointHost: String {
        guard let components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty else {
            return "unknown"
        }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// The chat-completions URL, with any trailing slash on the base removed.
    package var completionsURL: String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/chat/completions"
    }
}
