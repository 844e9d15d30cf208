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

    /// One call's state across its attempts. The request stays out of it: `complete` holds it already.
    private struct Call {
        var level: ResponseFormatLevel
        var body: RequestBody
        let headers: [String]
        let deadline: ContinuousClock.Instant
        var attempt = 1
        var started: ContinuousClock.Instant
    }

    /// What `settle` says follows an attempt.
    private enum Step {
        case answer(ChatResponse)
        /// At once, with the call's request changed.
        case again
        case retry(after: Duration)
    }

    // Every call in flight holds this function's frame, which is as large as everything it keeps
    // across its suspensions: the work before and after each attempt happens out of line, in
    // `begin`, `transfer` and `settle`, so that their locals stay on the thread's stack.
    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var call = try begin(request)
        while true {
            let outcome: Result<HTTPExchange, LLMError>
            do {
                outcome = .success(try await loop.perform(try transfer(&call, request: request)))
            } catch let error as LLMError {
                outcome = .failure(error)
            }
            switch try settle(&call, request: request, outcome: outcome) {
            case .answer(let response): return response
            case .again: continue
            case .retry(let delay): try await Task.sleep(for: delay)
            }
        }
    }

    @inline(never)
    private func begin(_ request: ChatRequest) throws -> Call {
        let level = max(ResponseFormatLevel(asked: request), acceptedFormat.withLock { $0 })
        let now = ContinuousClock.now
        return Call(
            level: level,
            body: RequestBody(try ChatCompletionBody(model: options.model, request: request, format: level).encoded()),
            headers: fixedHeaders + ["X-Fcsynth-Stage: \(Self.headerValue(request.call))"],
            deadline: now + options.retry.maxTotalTime, started: now)
    }

    @inline(never)
    private func transfer(_ call: inout Call, request: ChatRequest) throws(LLMError) -> CurlTransfer {
        call.started = .now
        return try CurlTransfer(
            CurlTransfer.Settings(
                url: url,
                body: call.body,
                headers: call.headers,
                timeout: min(options.requestTimeout, call.deadline - call.started),
                connectTimeout: options.connectTimeout,
                maxResponseBytes: options.maxResponseBytes
            ))
    }

    /// The answer, or what to do about the attempt's failure; throws when the call fails.
    @inline(never)
    private func settle(
        _ call: inout Call, request: ChatRequest, outcome: Result<HTTPExchange, LLMError>
    ) throws
        -> Step
    {
        var throttle: ThrottleKind?
        do throws(LLMError) {
            let exchange = try outcome.get()
            throttle = report(exchange, call: request.call)
            var response = try exchange.chatResponse()
            response.latency = (ContinuousClock.now - call.started).inSeconds
            if response.usageEstimated {
                response.usage = TokenUsage.estimate(prompt: request.messages, completion: response.content)
            }
            observer?.llmCallFinished(call: request.call, response: response, attempts: call.attempt)
            return .answer(response)
        } catch  where ResponseFormatLevel.isRejection(error) && call.level.next != nil {
            // The endpoint refuses this response_format, not the call: ask with less, at once
            // and from now on, and say so once.
            let lower = call.level.next ?? .off
            let first = acceptedFormat.withLock { accepted in
                defer { accepted = max(accepted, lower) }
                return accepted < lower
            }
            if first {
                logger.notice(
                    "the endpoint rejects this response_format; asking with less from now on",
                    metadata: ["rejected": "\(call.level)", "now": "\(lower)", "error": "\(error)"])
            }
            call.level = lower
            call.body = RequestBody(
                try ChatCompletionBody(model: options.model, request: request, format: lower).encoded())
            return .again
        } catch {
            let error = options.apiKey.map(error.redacting) ?? error
            var generator = SystemRandomNumberGenerator()
            let delay = options.retry.delay(afterAttempt: call.attempt, retryAfter: error.retryAfter, using: &generator)
            let handedBack = throttle == .rate && !options.retry.retriesRateLimits
            let willRetry =
                error.isRetryable && !handedBack && call.attempt < options.retry.maxAttempts
                && ContinuousClock.now + delay < call.deadline
            observer?.llmAttemptFailed(call: request.call, error: error, willRetry: willRetry)
            logger.debug(
                "LLM attempt failed",
                metadata: [
                    "call": "\(request.call)",
                    "attempt": "\(call.attempt)",
                    "error": "\(error)",
                    "retry_in": willRetry ? "\(delay)" : "none",
                ])
            guard willRetry else { throw error }
            call.attempt += 1
            return .retry(after: delay)
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
