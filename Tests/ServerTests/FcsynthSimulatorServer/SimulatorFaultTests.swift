import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

/// Each fault kind, asked for by a `[[sim:KIND*N#TAG]]` directive, then normal answers once it runs out.
@Suite struct SimulatorFaultTests {
    /// A fresh tag per test, so that directive counts never leak between tests.
    private static func directive(_ fault: SimulatorFault, times: Int = 1) -> String {
        "[[sim:\(fault.rawValue)*\(times)#\(UUID().uuidString)]]"
    }

    private static func isJSON(_ text: String) -> Bool {
        (try? JSONCoding.decode(JSONValue.self, from: text)) != nil
    }

    @Test(arguments: [SimulatorFault.serverError, .badRequest])
    func answersAnErrorStatusThenRecovers(fault: SimulatorFault) async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Book a table. \(Self.directive(fault))")
        let (faulted, recovered) = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return (
                try client.request("POST", "/v1/chat/completions", body: body),
                try client.request("POST", "/v1/chat/completions", body: body)
            )
        }
        #expect(faulted.status == Int(fault.rawValue))
        #expect(try faulted.json()["error"]?["message"]?.stringValue != nil)
        #expect(recovered.status == 200)
        #expect(try await simulator.stats().count(fault: fault) == 1)
    }

    @Test func rateLimitsWithRetryAfterForTheFirstNCarriers() async throws {
        let simulator = try await SimulatorProcess.start(["--retry-after", "7"])
        let body = chatBody("Check the weather. \(Self.directive(.rateLimited, times: 2))")
        let responses = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return try (0..<3).map { _ in try client.request("POST", "/v1/chat/completions", body: body) }
        }
        #expect(responses.map(\.status) == [429, 429, 200])
        #expect(responses[0].headers["retry-after"] == "7")
        #expect(responses[2].headers["retry-after"] == nil)
        #expect(try await simulator.stats().count(fault: .rateLimited) == 2)
    }

    @Test func hangsUntilTheClientGivesUp() async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Translate this. \(Self.directive(.hang))")
        let outcome = try await offPool {
            let client = try RawHTTPClient(port: simulator.port, timeout: 0.3)
            return Result { try client.request("POST", "/v1/chat/completions", body: body) }
        }
        #expect(throws: RawHTTPClient.Failure.timedOut) { try outcome.get() }
        var stats = try await simulator.stats()
        #expect(stats.count(fault: .hang) == 1)
        // The client has closed its socket by now; the server notices and forgets the hung connection.
        for _ in 0..<100 where stats.hungConnections != 0 {
            try await Task.sleep(for: .milliseconds(20))
            stats = try await simulator.stats()
        }
        #expect(stats.hungConnections == 0)
        #expect(stats.inFlight == 0)
    }

    @Test func holdsManyHungConnectionsAtOnce() async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Wait forever. \(Self.directive(.hang, times: 20))")
        let clients = try await offPool {
            let clients = try (0..<20).map { _ in try RawHTTPClient(port: simulator.port) }
            for client in clients {
                try client.send("POST", "/v1/chat/completions", body: body)
            }
            return Handoff(value: clients)
        }
        var stats = try await simulator.stats()
        for _ in 0..<100 where stats.hungConnections < 20 {
            try await Task.sleep(for: .milliseconds(20))
            stats = try await simulator.stats()
        }
        #expect(stats.hungConnections == 20)
        withExtendedLifetime(clients) {}
    }

    @Test func truncatesTheContentForMalformed() async throws {
        let content = try await faultedContent(.malformed)
        #expect(!Self.isJSON(content))
        #expect(content.hasPrefix("{") || content.hasPrefix("["))
    }

    @Test func wrapsTheContentInProse() async throws {
        let content = try await faultedContent(.prose)
        #expect(!Self.isJSON(content))
        #expect(content.hasPrefix("Sure! Here is the result you asked for:\n\n"))
    }

    @Test func fencesTheContent() async throws {
        let content = try await faultedContent(.fence)
        #expect(content.hasPrefix("```json\n"))
        #expect(content.hasSuffix("\n```"))
    }

    /// The message content of a 200 chat completion carrying `fault`.
    private func faultedContent(_ fault: SimulatorFault) async throws -> String {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Find flights. \(Self.directive(fault))")
        let response = try await offPool {
            try RawHTTPClient(port: simulator.port).request(
                "POST", "/v1/chat/completions", headers: ["X-Fcsynth-Stage": "scenario_extract"], body: body
            )
        }
        #expect(response.status == 200)
        #expect(try await simulator.stats().count(fault: fault) == 1)
        return try #require(try response.content())
    }

    @Test func answersABodyThatIsNotAChatCompletion() async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Order pizza. \(Self.directive(.body))")
        let response = try await offPool {
            try RawHTTPClient(port: simulator.port).request("POST", "/v1/chat/completions", body: body)
        }
        #expect(response.status == 200)
        #expect(!Self.isJSON(response.text))
        #expect(try await simulator.stats().count(fault: .body) == 1)
    }

    @Test func streamsABodyFarBeyondAnyLimit() async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Summarize. \(Self.directive(.large))")
        let (large, next) = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            let large = try client.request("POST", "/v1/chat/completions", body: body)
            return (large, try client.request("POST", "/v1/chat/completions", body: body))
        }
        #expect(large.status == 200)
        #expect(large.bodyLength == 64 << 20)
        #expect(next.status == 200)
        #expect(try await simulator.stats().count(fault: .large) == 1)
    }

    @Test func dropsAReaderThatLeavesHalfway() async throws {
        let simulator = try await SimulatorProcess.start(["--large-bytes", "\(256 << 20)"])
        let body = chatBody("Summarize. \(Self.directive(.large))")
        let partial = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            try client.send("POST", "/v1/chat/completions", body: body)
            return try client.receive(keepingBody: 0, readingBody: 4 << 20)
        }
        #expect(partial.bodyLength == 256 << 20)
        // The server notices the vanished reader, closes its side and keeps serving.
        var stats = try await simulator.stats()
        for _ in 0..<100 where stats.openConnections > 1 {
            try await Task.sleep(for: .milliseconds(20))
            stats = try await simulator.stats()
        }
        #expect(stats.openConnections == 1)
        let after = try await offPool {
            try RawHTTPClient(port: simulator.port).request(
                "POST", "/v1/chat/completions", body: chatBody("still there?"))
        }
        #expect(after.status == 200)
    }

    @Test func resetsTheConnectionWithoutAnswering() async throws {
        let simulator = try await SimulatorProcess.start()
        let body = chatBody("Call a cab. \(Self.directive(.reset))")
        let outcome = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return Result { try client.request("POST", "/v1/chat/completions", body: body) }
        }
        #expect(throws: RawHTTPClient.Failure.closed(received: 0)) { try outcome.get() }
        #expect(try await simulator.stats().count(fault: .reset) == 1)
    }

    @Test func injectsRandomFaultsAtTheConfiguredRate() async throws {
        let simulator = try await SimulatorProcess.start(["--fault-rate", "0.5", "--faults", "500,400", "--seed", "3"])
        let statuses = try await offPool {
            let client = try RawHTTPClient(port: simulator.port)
            return try (0..<200).map { index in
                try client.request("POST", "/v1/chat/completions", body: chatBody("random \(index)")).status
            }
        }
        let faulted = statuses.filter { $0 != 200 }.count
        #expect(faulted > 60 && faulted < 140)
        #expect(Set(statuses).isSubset(of: [200, 400, 500]))
        let stats = try await simulator.stats()
        #expect(stats.count(fault: .serverError) + stats.count(fault: .badRequest) == faulted)
    }
}
