import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

/// The simulator as clients see it: the `fcsynth simulator` process over plain sockets.
@Suite struct SimulatorServerTests {
    @Test func answersAChatCompletion() async throws {
        let simulator = try await SimulatorProcess.start()
        let response = try await offPool {
            try RawHTTPClient(port: simulator.port).request(
                "POST", "/v1/chat/completions",
                headers: ["X-Fcsynth-Stage": "scenario_extract"],
                body: chatBody("Plan a weekend trip to Lisbon.", model: "echo-model", jsonMode: true)
            )
        }
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let json = try response.json()
        #expect(json["object"]?.stringValue == "chat.completion")
        #expect(json["model"]?.stringValue == "fcsynth-simulated/echo-model")
        #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
        #expect(json["created"]?.numberValue != nil)
        let choice = try #require(json["choices"]?.arrayValue?.first)
        #expect(choice["message"]?["role"]?.stringValue == "assistant")
        #expect(choice["message"]?["content"]?.stringValue != nil)
        #expect(choice["finish_reason"]?.stringValue == "stop")
        let usage = try #require(json["usage"])
        let prompt = try #require(usage["prompt_tokens"]?.numberValue)
        let completion = try #require(usage["completion_tokens"]?.numberValue)
        #expect(prompt == Double(("Plan a weekend trip to Lisbon.".count + 3) / 4))
        #expect(usage["total_tokens"]?.numberValue == prompt + completion)

        let stats = try await simulator.stats()
        #expect(stats.requestsTotal == 1)
        #expect(stats.jsonMode == 1)
        #expect(stats.count(status: 200) == 1)
    }

    /// The cached share of the prompt is reported as OpenAI reports it, the request's tier is
    /// echoed, and `/stats` sums what the answers reported and counts the tiers asked for.
    @Test func reportsCachedTokensAndEchoesTheServiceTier() async throws {
        let simulator = try await SimulatorProcess.start(["--cached-prefix-share", "0.5"])
        let prompt = String(repeating: "Plan a weekend trip to Lisbon. ", count: 8)
        let answers = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return try ["flex", nil].map { tier -> [String: JSONValue] in
                var body = try JSONCoding.decode(JSONValue.self, from: Data(chatBody(prompt).utf8)).objectValue ?? [:]
                if let tier { body["service_tier"] = .string(tier) }
                let text = try JSONCoding.encodeString(JSONValue.object(body))
                return try client.request("POST", "/v1/chat/completions", body: text).json().objectValue ?? [:]
            }
        }
        let promptTokens = (prompt.count + 3) / 4
        for answer in answers {
            let usage = try #require(answer["usage"])
            #expect(usage["prompt_tokens"]?.numberValue == Double(promptTokens))
            #expect(usage["prompt_tokens_details"]?["cached_tokens"]?.numberValue == Double(promptTokens / 2))
        }
        #expect(answers[0]["service_tier"]?.stringValue == "flex")
        #expect(answers[1]["service_tier"] == nil)
        let stats = try await simulator.stats()
        #expect(stats.serviceTiers == ["flex": 1, "(none)": 1])
        #expect(stats.promptTokens == 2 * promptTokens && stats.cachedTokens == 2 * (promptTokens / 2))
        let completions = answers.compactMap { $0["usage"]?["completion_tokens"]?.numberValue }.reduce(0, +)
        #expect(Double(stats.completionTokens) == completions)
    }

    @Test func refusesACachedShareOutsideZeroToOne() async throws {
        await #expect(throws: SimulatorProcess.Failure.self) {
            try await SimulatorProcess.start(["--cached-prefix-share", "1.5"])
        }
    }

    @Test func servesTheRouteWithoutV1AndTheHealthCheck() async throws {
        let simulator = try await SimulatorProcess.start()
        let (completion, health, missing) = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return (
                try client.request("POST", "/chat/completions", body: chatBody("hello")),
                try client.request("GET", "/health"),
                try client.request("GET", "/nowhere")
            )
        }
        #expect(completion.status == 200)
        #expect(try completion.json()["object"]?.stringValue == "chat.completion")
        #expect(health.status == 200)
        #expect(missing.status == 404)
    }

    @Test func keepsTheConnectionAliveAcrossRequests() async throws {
        let simulator = try await SimulatorProcess.start()
        let statuses = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            var statuses: [Int] = []
            for index in 0..<5 {
                let response = try client.request("POST", "/v1/chat/completions", body: chatBody("turn \(index)"))
                #expect(response.headers["connection"] == "keep-alive")
                statuses.append(response.status)
            }
            // Pipelined: both requests written before either answer is read; answers come in order.
            try client.send("POST", "/v1/chat/completions", headers: ["X-Fcsynth-Stage": "first"], body: chatBody("a"))
            try client.send("GET", "/stats")
            statuses.append(try client.receive().status)
            let stats = try JSONCoding.decode(SimulatorStats.self, from: Data(try client.receive().body))
            #expect(stats.count(call: "first") == 1)
            #expect(stats.openConnections == 1)
            return statuses
        }
        #expect(statuses == Array(repeating: 200, count: 6))
    }

    @Test func closesWhenAskedTo() async throws {
        let simulator = try await SimulatorProcess.start()
        let outcome = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            let response = try client.request("GET", "/health", headers: ["Connection": "close"])
            #expect(response.headers["connection"] == "close")
            return Result { try client.receive() }
        }
        #expect(throws: RawHTTPClient.Failure.closed(received: 0)) { try outcome.get() }
    }

    @Test func refusesChunkedRequestBodies() async throws {
        let simulator = try await SimulatorProcess.start()
        let response = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            try client.write(
                Array(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8)
            )
            return try client.receive()
        }
        #expect(response.status == 411)
    }

    @Test func rejectsABodyThatIsNotAChatRequest() async throws {
        let simulator = try await SimulatorProcess.start()
        let response = try await offPool {
            try RawHTTPClient(port: simulator.port).request(
                "POST", "/v1/chat/completions", body: #"{"messages": "nope"}"#)
        }
        #expect(response.status == 400)
        #expect(try response.json()["error"]?["message"]?.stringValue != nil)
    }

    @Test func countsRequestsByCallHeader() async throws {
        let simulator = try await SimulatorProcess.start()
        try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            for call in ["scenario_extract", "scenario_extract", "conv_user", nil] as [String?] {
                let headers = call.map { ["X-Fcsynth-Stage": $0] } ?? [:]
                _ = try client.request(
                    "POST", "/v1/chat/completions", headers: headers,
                    body: chatBody("count me", jsonMode: call == "conv_user"))
            }
        }
        let stats = try await simulator.stats()
        #expect(stats.requestsTotal == 4)
        #expect(stats.byCall == ["scenario_extract": 2, "conv_user": 1, "(none)": 1])
        #expect(stats.jsonMode == 1)
        #expect(stats.perSecond.values.reduce(0, +) == 4)
        #expect(stats.maxInFlight == 1)
        #expect(stats.inFlight == 0)

        let reset = try await offPool { try RawHTTPClient(port: simulator.port).request("POST", "/stats/reset") }
        #expect(reset.status == 200)
        let cleared = try await simulator.stats()
        #expect(cleared.requestsTotal == 0)
        #expect(cleared.byCall.isEmpty)
    }

    @Test func requiresTheBearerKeyFromTheNamedVariable() async throws {
        let key = "sk-sim-\(UUID().uuidString)"
        let simulator = try await SimulatorProcess.start(
            ["--require-key-env", "FCSYNTH_SIM_TEST_KEY"],
            environment: ["FCSYNTH_SIM_TEST_KEY": key]
        )
        let (missing, wrong, right) = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return (
                try client.request("POST", "/v1/chat/completions", body: chatBody("no key")),
                try client.request(
                    "POST", "/v1/chat/completions", headers: ["Authorization": "Bearer sk-wrong"],
                    body: chatBody("wrong key")),
                try client.request(
                    "POST", "/v1/chat/completions", headers: ["Authorization": "Bearer \(key)"],
                    body: chatBody("right key"))
            )
        }
        #expect(missing.status == 401)
        #expect(wrong.status == 401)
        #expect(try wrong.json()["error"]?["code"]?.stringValue == "invalid_api_key")
        #expect(!wrong.text.contains(key))
        #expect(right.status == 200)
        let stats = try await simulator.stats()
        #expect(stats.authorized == 1)
        #expect(stats.unauthorized == 2)
        #expect(stats.count(status: 401) == 2)
    }

    @Test func waitsOutAFixedLatency() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "300"])
        let started = ContinuousClock.now
        let response = try await offPool {
            try RawHTTPClient(port: simulator.port).request("POST", "/v1/chat/completions", body: chatBody("slow"))
        }
        #expect(response.status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(290))
        #expect(response.headers["x-fcsynth-sim-latency-ms"] == "300.000")
        #expect(try await simulator.stats().sumLatencySeconds == 0.3)
    }

    @Test func drawsLognormalLatencyAroundTheMedianReproducibly() async throws {
        let arguments = ["--latency", "lognormal", "--latency-ms", "40", "--latency-sigma", "0.5", "--seed", "11"]
        func latencies() async throws -> [Double] {
            let simulator = try await SimulatorProcess.start(arguments)
            return try await offPool {
                let client = try RawHTTPClient(port: simulator.port)
                return try (0..<41).map { index in
                    let response = try client.request("POST", "/v1/chat/completions", body: chatBody("draw \(index)"))
                    return Double(response.headers["x-fcsynth-sim-latency-ms"] ?? "") ?? -1
                }
            }
        }
        let first = try await latencies()
        let median = first.sorted()[first.count / 2]
        #expect(median > 25 && median < 65)
        #expect(Set(first).count > 30)
        #expect(first.allSatisfy { $0 > 0 })
        #expect(try await latencies() == first)
    }

    @Test func servesFiveHundredConcurrentConnections() async throws {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "2000"])
        let statuses = try await offPool {
            let clients = try (0..<500).map { _ in try RawHTTPClient(port: simulator.port) }
            for (index, client) in clients.enumerated() {
                try client.send(
                    "POST", "/v1/chat/completions", headers: ["X-Fcsynth-Stage": "load"],
                    body: chatBody("request \(index)"))
            }
            return try clients.map { try $0.receive().status }
        }
        #expect(statuses == Array(repeating: 200, count: 500))
        let stats = try await simulator.stats()
        #expect(stats.count(call: "load") == 500)
        // Served together, not one after another: all 500 were written well before the first
        // answer was due, though a loaded machine may stretch the writing.
        #expect(stats.maxInFlight >= 250)
    }

    @Test func refusesANonLoopbackHost() throws {
        let process = Process()
        process.executableURL = TestEnvironment.executable("fcsynth")
        process.arguments = ["simulator", "--host", "0.0.0.0", "--port", "0"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }
}
