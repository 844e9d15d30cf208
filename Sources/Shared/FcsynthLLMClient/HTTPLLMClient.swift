import FcsynthCore
import Foundation
import Logging
import Synchronization

/// An `LLMBackend` for any OpenAI-compatible `POST /chat/completions` endpoint.
///
/// All transfers run on one libcurl multi handle driven by a dedicated thread, over reused
/// HTTP/1.1 connections; one client holds thousands of calls in flight. Transport errors,
/// 429 and 5xx are retried with backoff inside `complete`, within the retry policy's limits.
public final class HTTPLLMClient: LLMBackend {
    public let options: LLMClientOptions
    private let observer: (any LLMCallObserver)?
    private let logger: Logger
    private let loop: CurlMultiLoop
    private let url: String
    private let fixedHeaders: [String]
    /// Fixed with the options, and read on every call (records, replay keys): parsed once.
    public let identity: BackendIdentity
    /// The most of `response_format` the endpoint has not refused.
    private let acceptedFormat = Mutex(ResponseFormatLevel.jsonSchema)

    public init(
        options: LLMClientOptions, observer: (any LLMCallObserver)? = nil, logger: Logger = Logger(label: "fcsynth.llm")
    ) throws {
        let url = options.completionsURL
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw LLMConfigurationError.invalidURL
        }
        self.options = options
        self.observer = observer
        self.logger = logger
        self.url = url
        var headers = ["Content-Type: application/json", "Expect:"]
        if let key = options.apiKey {
            headers.append("Authorization: Bearer \(key.secret)")
        }
        fixedHeaders = headers
        identity = BackendIdentity(kind: .http, endpoint: options.endpointHost, model: options.model)
        loop = try CurlMultiLoop(maxConnections: options.maxConnections)
    }

    /// TCP connections opened so far, across all calls.
    public var connectionsOpened: Int {
        loop.connectionsOpened
    }

    deinit {
        loop.shutdown()
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var level = max(ResponseFormatLevel(asked: request), acceptedFormat.withLock { $0 })
        var body = RequestBody(try ChatCompletionBody(model: options.model, request: request, format: level).encoded())
        let headers = fixedHeaders + ["X-Fcsynth-Stage: \(Self.headerValue(request.call))"]
        let clock = ContinuousClock()
        let deadline = clock.now + options.retry.maxTotalTime
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let started = clock.now
            var throttle: ThrottleKind?
            do {
                let transfer = try CurlTransfer(
                    CurlTransfer.Settings(
                        url: url,
                        body: body,
                        headers: headers,
                        timeout: min(options.requestTimeout, deadline - started),
                        connectTimeout: options.connectTimeout,
                        maxResponseBytes: options.maxResponseBytes
                    ))
                let exchange = try await loop.perform(transfer)
                throttle = report(exchange, call: request.call)
                var response = try exchange.chatResponse()
                response.latency = (clock.now - started).inSeconds
                if response.usageEstimated {
                    response.usage = TokenUsage.estimate(prompt: request.messages, completion: response.content)
                }
                observer?.llmCallFinished(call: request.call, response: response, attempts: attempt)
                return response
            } catch let error as LLMError where ResponseFormatLevel.isRejection(error) && level.next != nil {
                // The endpoint refuses this response_format, not the call: ask with less, at once
                // and from now on, and say so once.
                let lower = level.next ?? .off
                let first = acceptedFormat.withLock { accepted in
                    defer { accepted = max(accepted, lower) }
                    return accepted < lower
                }
                if first {
                    logger.notice(
                        "the endpoint rejects this response_format; asking with less from now on",
                        metadata: ["rejected": "\(level)", "now": "\(lower)", "error": "\(error)"])
                }
                level = lower
                body = RequestBody(
                    try ChatCompletionBody(model: options.model, request: request, format: level).encoded())
            } catch let error as LLMError {
                let error = options.apiKey.map(error.redacting) ?? error
                let delay = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter, using: &generator)
                let handedBack = throttle == .rate && !options.retry.retriesRateLimits
                let willRetry =
                    error.isRetryable && !handedBack && attempt < options.retry.maxAttempts
                    && clock.now + delay < deadline
                observer?.llmAttemptFailed(call: request.call, error: error, willRetry: willRetry)
                logger.debug(
                    "LLM attempt failed",
                    metadata: [
                        "call": "\(request.call)",
                        "attempt": "\(attempt)",
                        "error": "\(error)",
                        "retry_in": willRetry ? "\(delay)" : "none",
                    ])
                guard willRetry else { throw error }
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// Tells the observer what the endpoint said about its limits, and what kind of 429 this
    /// is; returns the kind.
    private func report(_ exchange: HTTPExchange, call: String) -> ThrottleKind? {
        if !exchange.rateLimits.isEmpty {
            observer?.llmRateLimits(call: call, limits: exchange.rateLimits)
        }
        guard exchange.status == 429 else { return nil }
        let kind = ThrottleKind.classify(message: exchange.errorMessage, limits: exchange.rateLimits)
        let retryAfter = exchange.retryAfter.flatMap { RetryAfter.parse($0) }?.inSeconds
        observer?.llmThrottled(call: call, kind: kind, wait: retryAfter ?? exchange.rateLimits.waitForSpentBudget)
        return kind
    }

    /// A header value cannot carry line breaks; a call name never should, but must not inject headers.
    private static func headerValue(_ text: String) -> String {
        text.contains(where: \.isNewline) ? String(text.filter { !$0.isNewline }) : text
    }
}
