import Foundation
import Logging
import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient
@testable import FcsynthSimulatedLLM
@testable import FcsynthSimulatorServer

@Suite struct HTTPLLMClientTests {
    /// A fresh call name per test, so that `/stats` on a shared simulator counts only this test's requests.
    private static func uniqueCall(_ name: String) -> String {
        "test_\(name)_\(UInt32.random(in: .min ... .max))"
    }

    /// A simulator fault for the first `times` requests carrying this (unique) directive.
    private static func directive(_ kind: String, times: Int) -> String {
        "[[sim:\(kind)*\(times)#\(UUID().uuidString)]]"
    }

    private static func client(
        _ baseURL: String,
        _ configure: (inout LLMClientOptions) -> Void = { _ in },
        observer: RecordingObserver? = nil,
        logger: Logger = Logger(label: "test.llm")
    ) throws -> HTTPLLMClient {
        var options = LLMClientOptions(baseURL: baseURL, model: "sim-model")
        options.retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
        configure(&options)
        return try HTTPLLMClient(options: options, observer: observer, logger: logger)
    }

    private static func request(_ call: String, _ content: String = "Say hello.", jsonMode: Bool = false) -> ChatRequest
    {
        ChatRequest(
            call: call, messages: [.system("You are terse."), .user(content)], temperature: 0.2, maxTokens: 64,
            jsonMode: jsonMode)
    }

    @Test func plainCompletion() async throws {
        // A simulator of its own, in process, that keeps each request as it read it off the wire:
        // what other tests send cannot make these checks pass.
        let backend = RecordingBackend(SimulatedLLM())
        let server = SimulatorServer(options: .loopback(), backend: backend)
        let port = try server.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client("http://127.0.0.1:\(port)/v1", observer: observer)
        let request = Self.request("plain", jsonMode: true)
        let response = try await client.complete(request)

        #expect(!response.content.isEmpty)
        #expect(response.finishReason == "stop")
        #expect(response.usage.promptTokens > 0 && response.usage.completionTokens > 0)
        #expect(response.latency > 0)
        // The call from the X-Fcsynth-Stage header, json mode from response_format, and the rest from the body.
        let seen = await backend.requests
        #expect(seen == [request])
        #expect(observer.finishedAttempts == [1])
        #expect(observer.failedAttempts.isEmpty)
    }

    @Test func anEndpointThatRejectsJSONSchemaIsAskedWithJSONObjectFromThenOn() async throws {
        let server = try await LLMTestServer.start(["--reject-json-schema"])
        defer { server.stop() }
        let (logger, lines) = CapturingLogHandler.logger()
        let client = try Self.client(server.baseURL, logger: logger)
        let schema = JSONValue.object(["type": .string("object")])
        var request = Self.request(Self.uniqueCall("schema"), jsonMode: true)
        request.replySchema = schema
        for _ in 0..<3 {
            #expect(!(try await client.complete(request).content.isEmpty))
        }
        let stats = try await server.stats()
        // Only the first call asked for json_schema; it and the two after it went on as json_object.
        #expect(stats.jsonSchema == 1)
        #expect(stats.jsonMode == 4)
        #expect(lines.all.filter { $0.contains("rejects this response_format") }.count == 1)
    }

    @Test func anEndpointThatTakesJSONSchemaGetsIt() async throws {
        let server = try await LLMTestServer.start([], own: true)
        defer { server.stop() }
        let client = try Self.client(server.baseURL)
        var request = Self.request(Self.uniqueCall("schema"), jsonMode: true)
        request.replySchema = .object(["type": .string("object")])
        _ = try await client.complete(request)
        _ = try await client.complete(request)
        #expect(try await server.stats().jsonSchema == 2)
    }

    @Test func thousandConcurrentRequestsAllSucceed() async throws {
        // Long enough that all 1,000 are still in flight when the last one starts, even on a
        // loaded machine.
        let server = try await LLMTestServer.start(["--latency-ms", "4000"])
        defer { server.stop() }
        let client = try Self.client(server.baseURL) { $0.retry = .none }
        let call = Self.uniqueCall("fanout")
        let cpuBefore = ProcessCPU.seconds()
        let contents = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<1000 {
                group.addTask { try await client.complete(Self.request(call, "Request \(index).")).content }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let cpu = ProcessCPU.seconds() - cpuBefore
        print("1,000 concurrent calls over fresh connections: \(Int(cpu * 1e3)) µs CPU per call")
        #expect(contents.count == 1000)
        #expect(contents.allSatisfy { !$0.isEmpty })
        let stats = try await server.stats()
        #expect(stats.count(call: call) == 1000)
        #expect(stats.maxInFlight >= 950, "the requests were in flight together")
    }

    @Test func connectionsAreCappedAndReused() async throws {
        let server = try await LLMTestServer.start(["--latency-ms", "50"])
        defer { server.stop() }
        let client = try Self.client(server.baseURL) {
            $0.maxConnections = 8
            $0.retry = .none
        }
        let call = Self.uniqueCall("reuse")
        for round in 1...2 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask { _ = try await client.complete(Self.request(call, "Request \(index).")) }
                }
                try await group.waitForAll()
            }
            #expect(client.connectionsOpened <= 8, "round \(round)")
        }
        #expect(client.connectionsOpened > 0)
        let stats = try await server.stats()
        #expect(stats.count(call: call) == 80)
        #expect(stats.maxInFlight <= 8)
    }

    @Test func retriesServerErrorsThenSucceeds() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(server.baseURL, observer: observer)
        let call = Self.uniqueCall("retry500")
        let response = try await client.complete(Self.request(call, "Hi \(Self.directive("500", times: 2))"))
        #expect(!response.content.isEmpty)
        #expect(observer.finishedAttempts == [3])
        #expect(observer.failedAttempts.map(\.error.kind) == ["http_5xx", "http_5xx"])
        #expect(observer.failedAttempts.allSatisfy { $0.willRetry })
        #expect(try await server.stats().count(call: call) == 3)
    }

    @Test func retriesAConnectionResetThenSucceeds() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(server.baseURL, observer: observer)
        let call = Self.uniqueCall("reset")
        _ = try await client.complete(Self.request(call, "Hi \(Self.directive("reset", times: 1))"))
        #expect(observer.failedAttempts.map(\.error.kind) == ["transport_connection_reset"])
        #expect(observer.finishedAttempts == [2])
    }

    @Test func honoursRetryAfterOn429() async throws {
        let server = try await LLMTestServer.start(["--retry-after", "1"])
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(server.baseURL, observer: observer)
        let call = Self.uniqueCall("retry429")
        let started = ContinuousClock.now
        _ = try await client.complete(Self.request(call, "Hi \(Self.directive("429", times: 1))"))
        let elapsed = ContinuousClock.now - started
        let failure = try #require(observer.failedAttempts.first)
        #expect(failure.error == .httpStatus(429, message: failure.error.serverMessage, retryAfter: 1))
        #expect(elapsed >= .seconds(1), "the client waited as long as Retry-After asked, not its 20 ms backoff")
        #expect(observer.finishedAttempts == [2])
    }

    @Test func doesNotRetryClientErrors() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(server.baseURL, observer: observer)
        let call = Self.uniqueCall("no_retry400")
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request(call, "Hi \(Self.directive("400", times: 5))"))
        }
        #expect(error?.kind == "http_4xx")
        #expect(error?.serverMessage.contains("injected fault") == true, "the server's error.message is kept")
        #expect(observer.failedAttempts.map(\.willRetry) == [false])
        #expect(try await server.stats().count(call: call) == 1)
    }

    @Test func timesOutOnAHangingServer() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let client = try Self.client(server.baseURL) {
            $0.requestTimeout = .milliseconds(400)
            $0.retry = .none
        }
        let started = ContinuousClock.now
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request(Self.uniqueCall("hang"), "Hi \(Self.directive("hang", times: 1))"))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.kind == "transport_timeout")
        // Which timeout fired shows only in the time taken: at least the 400 ms asked for, and
        // (with room for a loaded machine) far from the client's 180 s default.
        #expect(elapsed >= .milliseconds(390) && elapsed < .seconds(90))
    }

    @Test func unparsableBodyIsAnInvalidResponse() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(server.baseURL, observer: observer)
        let call = Self.uniqueCall("body")
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request(call, "Hi \(Self.directive("body", times: 3))"))
        }
        #expect(error?.kind == "invalid_response")
        #expect(observer.failedAttempts.map(\.willRetry) == [false])
        #expect(try await server.stats().count(call: call) == 1)
    }

    @Test func oversizedBodyIsCutOff() async throws {
        let server = try await LLMTestServer.start(own: true)
        defer { server.stop() }
        let client = try Self.client(server.baseURL) { $0.maxResponseBytes = 64 << 10 }
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request(Self.uniqueCall("large"), "Hi \(Self.directive("large", times: 3))"))
        }
        #expect(error == .responseTooLarge(limit: 64 << 10))
        // Cut off mid-body, the connection cannot be reused and the client closes it; one read to
        // the end of the 64 MB would have left it open for the next call. Left: the stats request's own.
        #expect(try await server.eventually { $0.openConnections == 1 })
    }

    @Test func connectionRefusedFailsAfterBoundedRetries() async throws {
        let observer = RecordingObserver()
        let options = LLMClientOptions(
            baseURL: "http://127.0.0.1:\(try ClosedPort.find())/v1",
            model: "m",
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
        )
        let client = try HTTPLLMClient(options: options, observer: observer)
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request("refused"))
        }
        #expect(error?.kind == "transport_connect_refused")
        #expect(observer.failedAttempts.map(\.willRetry) == [true, true, false])
    }

    @Test func totalTimeLimitEndsRetries() async throws {
        let server = try await LLMTestServer.start()
        defer { server.stop() }
        let observer = RecordingObserver()
        let client = try Self.client(
            server.baseURL,
            {
                $0.requestTimeout = .seconds(180)
                $0.retry = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxTotalTime: .milliseconds(700))
            }, observer: observer)
        let call = Self.uniqueCall("deadline")
        let started = ContinuousClock.now
        let error = await #expect(throws: LLMError.self) {
            try await client.complete(Self.request(call, "Hi \(Self.directive("hang", times: 5))"))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.kind == "transport_timeout")
        // One attempt, cut off at the call's deadline rather than at its own 180 s timeout
        // (the time taken tells them apart, with room for a loaded machine), and not retried.
        #expect(observer.failedAttempts.map(\.willRetry) == [false])
        #expect(try await server.stats().count(call: call) == 1)
        #expect(elapsed >= .milliseconds(650) && elapsed < .seconds(90))
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        let server = try await LLMTestServer.start(own: true)
        defer { server.stop() }
        let client = try Self.client(server.baseURL) { $0.retry = .none }
        let task = Task {
            try await client.complete(Self.request(Self.uniqueCall("cancel"), "Hi \(Self.directive("hang", times: 1))"))
        }
        #expect(try await server.eventually { $0.hungConnections == 1 }, "the request never reached the server")
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The server sees the client hang up: the transfer was aborted, not left to time out.
        #expect(try await server.eventually { $0.hungConnections == 0 })
    }

    @Test func sendsTheKeyAndNeverLeaksIt() async throws {
        let secret = "sk-test-\(UUID().uuidString)"
        let server = try await LLMTestServer.start(
            ["--require-key-env", "FCSYNTH_TEST_SIM_KEY"], environment: ["FCSYNTH_TEST_SIM_KEY": secret])
        defer { server.stop() }
        let (logger, lines) = CapturingLogHandler.logger()
        let observer = RecordingObserver()
        func client(key: String) throws -> HTTPLLMClient {
            try Self.client(
                server.baseURL,
                {
                    $0.apiKey = APIKey(key)
                    $0.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
                }, observer: observer, logger: logger)
        }

        let authorized = try client(key: secret)
        _ = try await authorized.complete(Self.request(Self.uniqueCall("key")))
        #expect(try await server.stats().authorized == 1)

        let wrongSecret = "sk-wrong-\(UUID().uuidString)"
        var errors: [LLMError] = []
        for (key, kind) in [(wrongSecret, nil), (secret, "500"), (secret, "body")] {
            do {
                let content = kind.map { "Hi \(Self.directive($0, times: 5))" } ?? "Hi"
                _ = try await client(key: key).complete(Self.request(Self.uniqueCall("key"), content))
                Issue.record("the call with fault \(kind ?? "401") must fail")
            } catch let error as LLMError {
                errors.append(error)
            }
        }
        #expect(errors.map(\.kind) == ["http_401", "http_5xx", "invalid_response"])
        #expect(!lines.all.isEmpty, "the failures were logged")
        var texts = errors.flatMap { [$0.description, String(reflecting: $0)] }
        texts += observer.failedAttempts.map { "\($0.error)" }
        texts += lines.all
        texts += ["\(authorized.options)", String(reflecting: authorized.options)]
        for text in texts {
            #expect(!text.contains(secret) && !text.contains(wrongSecret))
        }
    }
}

extension LLMError {
    /// The message of an HTTP status error, for comparisons.
    fileprivate var serverMessage: String {
        guard case .httpStatus(_, let message, _) = self else { return "" }
        return message
    }
}
