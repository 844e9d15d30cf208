import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

/// The Batch API client against the simulator's Batch API over HTTP. The oracle for an answer
/// is the online client's answer to the same request from the same simulator.
@Suite struct HTTPBatchClientTests {
    static func requests(_ count: Int) -> [BatchRequest] {
        (0..<count).map { index in
            BatchRequest(
                customID: "scenario_extract/\(index)|scenario_extract|0|k#0",
                request: ChatRequest(
                    call: "scenario_extract", messages: [.user("USER: plan trip \(index) to Lisbon")], jsonMode: true))
        }
    }

    static func settled(_ client: HTTPBatchClient, _ id: String) async throws -> BatchJob {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            let job = try await client.job(id)
            if job.status.isFinal || ContinuousClock.now > deadline { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func options(_ simulator: SimulatorProcess) -> LLMClientOptions {
        var options = LLMClientOptions(baseURL: simulator.baseURL, model: "sim-model")
        options.retry = RetryPolicy(maxAttempts: 2)
        return options
    }

    @Test func aBatchComesBackWithTheOnlineAnswersAndIsFoundByItsLabel() async throws {
        let simulator = try await SimulatorProcess.start(["--batch-turnaround-ms", "100"])
        defer { simulator.stop() }
        let client = try HTTPBatchClient(options: Self.options(simulator))
        let online = try HTTPLLMClient(options: Self.options(simulator))
        let requests = Self.requests(5)
        let file = try await client.upload(requests)
        let created = try await client.create(inputFile: file, metadata: ["fcsynth_batch": "ns/run/b1"])
        #expect(created.metadata["fcsynth_batch"] == "ns/run/b1" && !created.status.isFinal)
        #expect(try await client.find(metadata: ["fcsynth_batch": "ns/run/b1"], searching: 100)?.id == created.id)
        #expect(try await client.find(metadata: ["fcsynth_batch": "ns/run/b2"], searching: 100) == nil)

        let job = try await Self.settled(client, created.id)
        #expect(job.status == .completed)
        let results = try await client.results(of: job)
        #expect(Set(results.map(\.customID)) == Set(requests.map(\.customID)))
        for request in requests {
            let answer = try #require(results.first { $0.customID == request.customID })
            guard case .answered(let response) = answer.outcome else {
                Issue.record("\(request.customID) failed: \(answer.outcome)")
                continue
            }
            #expect(response.content == (try await online.complete(request.request)).content)
            #expect(response.usage.promptTokens > 0 && !response.usageEstimated)
        }
        let stats = try await simulator.stats()
        #expect(stats.batches == 1 && stats.batchRequests == 5)
    }

    @Test func failedAndExpiredLinesComeBackAsFailuresWithTheProvidersCode() async throws {
        let failing = try await SimulatorProcess.start(["--batch-turnaround-ms", "50", "--batch-failure-rate", "1"])
        defer { failing.stop() }
        let client = try HTTPBatchClient(options: Self.options(failing))
        let created = try await client.create(inputFile: try await client.upload(Self.requests(3)), metadata: [:])
        let results = try await client.results(of: try await Self.settled(client, created.id))
        #expect(results.count == 3)
        #expect(results.allSatisfy { if case .failed("http_500", _) = $0.outcome { true } else { false } })

        let expiring = try await SimulatorProcess.start(["--batch-turnaround-ms", "50", "--batch-expire-rate", "1"])
        defer { expiring.stop() }
        let late = try HTTPBatchClient(options: Self.options(expiring))
        let batch = try await late.create(inputFile: try await late.upload(Self.requests(4)), metadata: [:])
        let job = try await Self.settled(late, batch.id)
        #expect(job.status == .expired)
        let outcomes = try await late.results(of: job).map(\.outcome)
        #expect(outcomes.count == 4)
        #expect(outcomes.filter { if case .answered = $0 { true } else { false } }.count == 2)
        #expect(outcomes.filter { if case .failed("batch_expired", _) = $0 { true } else { false } }.count == 2)
    }

    @Test func cancelAnUnknownBatchAndADownEndpointAreErrors() async throws {
        let simulator = try await SimulatorProcess.start(["--batch-turnaround-ms", "60000"])
        defer { simulator.stop() }
        let client = try HTTPBatchClient(options: Self.options(simulator))
        let created = try await client.create(inputFile: try await client.upload(Self.requests(1)), metadata: [:])
        #expect(try await client.cancel(created.id).status == .cancelled)
        await #expect {
            _ = try await client.job("batch_nope")
        } throws: { error in
            if case LLMError.httpStatus(404, _, _) = error { true } else { false }
        }
        var closed = LLMClientOptions(baseURL: "http://127.0.0.1:\(try ClosedPort.find())/v1", model: "m")
        closed.retry = RetryPolicy(maxAttempts: 1)
        let down = try HTTPBatchClient(options: closed)
        await #expect {
            _ = try await down.job("any")
        } throws: { error in
            if case LLMError.transport = error { true } else { false }
        }
    }
}
