import FcsynthCore
import Foundation
import Glibc

extension SimulatorEventLoop {
    private static let completionPaths: Set<String> = ["/v1/chat/completions", "/chat/completions"]

    package func route(_ request: SimulatorHTTPRequest, on connection: SimulatorConnection) {
        switch (request.method, request.path) {
        case ("POST", let path) where Self.completionPaths.contains(path):
            startCompletion(request, on: connection)
        case (_, let path) where path.hasPrefix("/v1/files") || path.hasPrefix("/v1/batches"):
            routeBatchAPI(request, on: connection)
        case ("GET", "/health"):
            send(
                SimulatorHTTPResponse(status: 200, json: #"{"status":"ok"}"#), on: connection,
                keepAlive: request.keepAlive)
        case ("GET", "/stats"):
            let body = (try? Array(JSONCoding.encode(stats))) ?? []
            send(SimulatorHTTPResponse(status: 200, body: body), on: connection, keepAlive: request.keepAlive)
        case ("POST", "/stats/reset"):
            stats.reset()
            send(
                SimulatorHTTPResponse(status: 200, json: #"{"status":"reset"}"#), on: connection,
                keepAlive: request.keepAlive)
        case (_, let path)
        where Self.completionPaths.contains(path) || ["/health", "/stats", "/stats/reset"].contains(path):
            let body = SimulatorWire.error("\(request.method) is not allowed on \(path)", type: "invalid_request_error")
            send(SimulatorHTTPResponse(status: 405, body: body), on: connection, keepAlive: request.keepAlive)
        default:
            let body = SimulatorWire.error(
                "no route for \(request.method) \(request.path)", type: "invalid_request_error")
            send(SimulatorHTTPResponse(status: 404, body: body), on: connection, keepAlive: request.keepAlive)
        }
    }

    private func startCompletion(_ request: SimulatorHTTPRequest, on connection: SimulatorConnection) {
        let call = request.header("x-fcsynth-stage")
        stats.recordArrival(call: call, unixSecond: time(nil))
        if let key = options.apiKey {
            guard let credential = request.header("authorization"), Self.constantTimeEqual(credential, "Bearer \(key)")
            else {
                stats.unauthorized += 1
                let body = SimulatorWire.error(
                    "missing or invalid API key", type: "invalid_request_error", code: "invalid_api_key")
                finish(SimulatorHTTPResponse(status: 401, body: body), on: connection, keepAlive: request.keepAlive)
                return
            }
            stats.authorized += 1
        }
        let incoming: SimulatorWire.Incoming
        do {
            incoming = try SimulatorWire.decode(request.body, call: call)
        } catch {
            let body = SimulatorWire.error(error.message, type: "invalid_request_error")
            finish(SimulatorHTTPResponse(status: 400, body: body), on: connection, keepAlive: request.keepAlive)
            return
        }
        if incoming.request.jsonMode {
            stats.jsonMode += 1
        }
        stats.serviceTiers[incoming.serviceTier ?? SimulatorStats.noTier, default: 0] += 1
        if incoming.responseFormat == "json_schema" {
            stats.jsonSchema += 1
            if options.rejectsJSONSchema {
                let body = SimulatorWire.error(
                    "response_format json_schema is not supported; use json_object", type: "invalid_request_error")
                finish(SimulatorHTTPResponse(status: 400, body: body), on: connection, keepAlive: request.keepAlive)
                return
            }
        }
        let promptCharacters = incoming.promptCharacters
        if let refusal = throttle(promptCharacters: promptCharacters) {
            finish(refusal, on: connection, keepAlive: request.keepAlive)
            return
        }
        let fault = directives.fault(for: incoming.request.messages) ?? randomFault()
        if let fault {
            stats.record(fault: fault)
        }
        if fault == .hang {
            connection.phase = .hung
            stats.hungConnections += 1
            return
        }
        let latency = options.latency.sample(using: &random)
        stats.sumLatencySeconds += latency
        let exchange = SimulatorConnection.Exchange(
            id: nextExchangeID,
            model: incoming.model,
            fault: fault,
            keepAlive: request.keepAlive,
            promptCharacters: promptCharacters,
            latency: latency,
            serviceTier: incoming.serviceTier,
            maxTokens: incoming.request.maxTokens,
            rateLimitHeaders: limiter.headers
        )
        nextExchangeID += 1
        connection.phase = .answering(exchange)
        timers.push(
            .init(deadline: Self.now() + UInt64(latency * 1e9), connection: connection.id, exchange: exchange.id))
        if fault?.needsBackend ?? true {
            askBackend(incoming.request, connection: connection.id, exchange: exchange.id)
        }
    }

    /// The 429 the simulator's own limits give this request, if any: the concurrency limit first
    /// (a refused request takes nothing from the budgets), then the per-minute budgets.
    private func throttle(promptCharacters: Int) -> SimulatorHTTPResponse? {
        if options.concurrencyLimit > 0, stats.inFlight > options.concurrencyLimit {
            stats.throttled["concurrency", default: 0] += 1
            return SimulatorHTTPResponse(
                status: 429, headers: limiter.headers,
                body: SimulatorWire.error(
                    "Too many concurrent requests: at most \(options.concurrencyLimit) may be in flight at once",
                    type: "requests", code: "concurrency_limit_exceeded"))
        }
        guard limiter.isLimited else { return nil }
        let cost = SimulatorWire.estimatedTokens(promptCharacters)
        guard case .refused(let budget, let retryAfter) = limiter.admit(cost: cost, now: Self.now()) else {
            return nil
        }
        stats.throttled[budget, default: 0] += 1
        let limit = (budget == "requests" ? limiter.requests?.limit : limiter.tokens?.limit) ?? 0
        let unit = budget == "requests" ? "requests per min (RPM)" : "tokens per min (TPM)"
        let wait = SimulatorRateLimiter.resetText(retryAfter)
        return SimulatorHTTPResponse(
            status: 429,
            headers: [("Retry-After", String(max(1, Int(retryAfter.rounded(.up)))))] + limiter.headers,
            body: SimulatorWire.error(
                "Rate limit reached for \(unit): Limit \(limit), Requested \(budget == "requests" ? 1 : cost). Please try again in \(wait).",
                type: budget, code: "rate_limit_exceeded"))
    }

    private func randomFault() -> SimulatorFault? {
        guard options.faultRate > 0, !options.faultKinds.isEmpty else { return nil }
        guard Double.random(in: 0..<1, using: &random) < options.faultRate else { return nil }
        return options.faultKinds.randomElement(using: &random)
    }

    private func askBackend(_ request: ChatRequest, connection: UInt64, exchange: UInt64) {
        let backend = self.backend
        let mailbox = self.mailbox
        Task {
            let result: Result<ChatResponse, any Error>
            do {
                result = .success(try await backend.complete(request))
            } catch {
                result = .failure(error)
            }
            mailbox.post(.completed(connection: connection, exchange: exchange, result: result))
        }
    }

    /// Sends the answer of an exchange whose latency has passed and whose content, if needed, is in.
    package func answer(_ connection: SimulatorConnection, _ exchange: SimulatorConnection.Exchange) {
        if exchange.fault == .reset {
            closeConnection(connection, abortively: true)
            return
        }
        var response = response(for: exchange)
        response.headers.append(("X-Fcsynth-Sim-Latency-Ms", String(format: "%.3f", exchange.latency * 1000)))
        finish(response, on: connection, keepAlive: exchange.keepAlive)
    }

    /// Counts the answer of a chat-completion request and sends it.
    private func finish(_ response: SimulatorHTTPResponse, on connection: SimulatorConnection, keepAlive: Bool) {
        stats.recordAnswer(status: response.status)
        send(response, on: connection, keepAlive: keepAlive)
    }

    private func response(for exchange: SimulatorConnection.Exchange) -> SimulatorHTTPResponse {
        switch exchange.fault {
        case .serverError:
            return SimulatorHTTPResponse(
                status: 500,
                body: SimulatorWire.error("the simulator failed this request (injected fault)", type: "server_error"))
        case .rateLimited:
            return SimulatorHTTPResponse(
                status: 429,
                headers: [("Retry-After", String(options.retryAfterSeconds))],
                body: SimulatorWire.error(
                    "rate limit reached (injected fault)", type: "requests", code: "rate_limit_exceeded")
            )
        case .badRequest:
            return SimulatorHTTPResponse(
                status: 400,
                body: SimulatorWire.error(
                    "the simulator rejected this request (injected fault)", type: "invalid_request_error"))
        case .body:
            return SimulatorHTTPResponse(
                status: 200, contentType: "text/html",
                body: Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8))
        case .large:
            var response = SimulatorHTTPResponse(
                status: 200,
                json:
                    #"{"id":"chatcmpl-large","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""#
            )
            response.streamedFiller = max(0, options.largeBodyBytes - response.body.count)
            return response
        case .hang, .reset, .malformed, .prose, .fence, nil:
            return completion(for: exchange)
        }
    }

    private func completion(for exchange: SimulatorConnection.Exchange) -> SimulatorHTTPResponse {
        let answer: ChatResponse
        switch exchange.result {
        case .success(let response):
            answer = response
        case .failure(let error):
            return SimulatorHTTPResponse(
                status: 500, body: SimulatorWire.error("the simulated model failed: \(error)", type: "server_error"))
        case nil:
            return SimulatorHTTPResponse(
                status: 500, body: SimulatorWire.error("the simulated model gave no answer", type: "server_error"))
        }
        var content = Self.distort(answer.content, by: exchange.fault)
        var finishReason = answer.finishReason ?? "stop"
        // As a model does, it stops at max_tokens, whatever it was in the middle of.
        if let limit = exchange.maxTokens, SimulatorWire.estimatedTokens(content.count) > limit {
            content = String(content.prefix(max(0, limit) * 4))
            finishReason = "length"
        }
        let usage =
            options.omitsUsage
            ? nil
            : SimulatorWire.usage(
                promptCharacters: exchange.promptCharacters, content: content,
                cachedShare: options.cachedPromptShare)
        if let usage { stats.record(usage: usage) }
        let body = SimulatorWire.completion(
            id: "chatcmpl-sim-\(exchange.id)",
            // Named as simulated whatever was asked for, so that records made over HTTP say so too.
            model: BackendIdentity.simulated.model + "/" + exchange.model,
            content: content,
            finishReason: finishReason,
            usage: usage, serviceTier: exchange.serviceTier
        )
        return SimulatorHTTPResponse(status: 200, headers: exchange.rateLimitHeaders, body: body)
    }

    /// The content faults: the model's answer, damaged the way real models damage theirs.
    private static func distort(_ content: String, by fault: SimulatorFault?) -> String {
        switch fault {
        case .malformed:
            let half = String(content.prefix(content.count / 2))
            return half.hasPrefix("{") || half.hasPrefix("[") ? half : "{" + half
        case .prose:
            return "Sure! Here is the result you asked for:\n\n\(content)\n\nLet me know if you need anything else."
        case .fence:
            return "```json\n\(content)\n```"
        default:
            return content
        }
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
