import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// How a claimed task becomes its hand-off, without Redis: the operations and counters for
/// each outcome and each failure.
@Suite struct TaskProcessorTests {
    let keys = RunKeys(namespace: "t", run: "r")

    func entry(_ stage: StageName = .scenarioExtract, attempt: Int = 0) throws -> Data {
        let item = WorkItem(id: "7", line: 7, seed: "USER: book a table for two in Lyon tonight")
        return try TaskEnvelope(run: "r", stage: stage, item: item, attempt: attempt).encoded()
    }

    func processor(
        _ llm: any LLMBackend, outage: OutageDetector = OutageDetector(),
        stages: [StageName: any Stage] = StageCatalog.all
    ) -> TaskProcessor {
        TaskProcessor(stages: stages, llm: llm, outage: outage, backoff: nil)
    }

    func increments(_ completion: Completion?) -> [String: Int] {
        var counts: [String: Int] = [:]
        for case .increment(let field, let amount) in completion?.operations ?? [] {
            counts[field, default: 0] += amount
        }
        return counts
    }

    @Test func aGoodReplyPushesTheNextStageAndCounts() async throws {
        let llm = ScriptedLLM([#"{"scenario": "booking a restaurant table"}"#])
        let completion = await processor(llm).process(try entry(), keys: keys, settings: RunSettings())
        #expect(completion?.tid == "7|scenario_extract|0")
        let pushes =
            completion?.operations.compactMap { operation -> (StageName, Data)? in
                if case .push(let stage, let data) = operation { return (stage, data) } else { return nil }
            } ?? []
        #expect(pushes.map(\.0) == [.atomTask])
        let next = try TaskEnvelope.decode(pushes[0].1)
        #expect(next.item.scenario == "booking a restaurant table")
        #expect(next.item.usage == TokenUsage(promptTokens: 10, completionTokens: 5))
        #expect(
            increments(completion) == [
                "done:scenario_extract": 1, "llm_calls:scenario_extract": 1,
                "tokens_prompt:scenario_extract": 10, "tokens_completion:scenario_extract": 5, "charged_tokens": 15,
            ])
    }

    /// A run with prices charges each answer's cost to its spend in the same hand-off, the
    /// cached part of the prompt at its rate; a run with a tier sends it with every call.
    @Test func aPricedRunChargesItsSpendAndSendsItsTier() async throws {
        let reply = ChatResponse(
            content: #"{"scenario": "booking a table"}"#,
            usage: TokenUsage(promptTokens: 1000, completionTokens: 100, cachedTokens: 600))
        let llm = ScriptedLLM(responses: [reply])
        var settings = RunSettings()
        settings.prices = RunEstimate.Prices(prompt: 2, completion: 8, cached: 0.5)
        settings.serviceTier = .flex
        let completion = await processor(llm).process(try entry(), keys: keys, settings: settings)
        let counts = increments(completion)
        #expect(counts["tokens_cached:scenario_extract"] == 600 && counts["charged_tokens"] == 1100)
        // 400 × 2 + 600 × 0.5 + 100 × 8 millionths, in billionths.
        #expect(counts["charged_nano_usd"] == (400 * 2 + 300 + 800) * 1000)
        #expect(await llm.requests.map(\.serviceTier) == [.flex])
    }

    /// `llm_ms:STAGE` adds the endpoint's time for each counted answer, so that status can
    /// give the mean latency that `fcsynth estimate` projects wall time from.
    @Test func theCallsTimeIsCountedInMilliseconds() async throws {
        let llm = ScriptedLLM(responses: [ChatResponse(content: #"{"scenario": "booking a table"}"#, latency: 0.2504)])
        let completion = await processor(llm).process(try entry(), keys: keys, settings: RunSettings())
        #expect(increments(completion)["llm_ms:scenario_extract"] == 250)
        #expect(increments(completion)["llm_calls:scenario_extract"] == 1)
    }

    @Test func theModelThatAnsweredTravelsWithTheItem() async throws {
        let llm = ScriptedLLM(responses: [
            ChatResponse(content: #"{"scenario": "booking a table"}"#, model: "gpt-x-2025")
        ])
        var item = WorkItem(id: "7", line: 7, seed: "USER: book a table")
        item.models = ["earlier_call": "other-model"]
        let entry = try TaskEnvelope(run: "r", stage: .scenarioExtract, item: item).encoded()
        let completion = await processor(llm).process(entry, keys: keys, settings: RunSettings())
        let pushed =
            completion?.operations.compactMap { operation -> Data? in
                if case .push(_, let data) = operation { return data } else { return nil }
            } ?? []
        let next = try TaskEnvelope.decode(try #require(pushed.first))
        #expect(next.item.models == ["earlier_call": "other-model", "scenario_extract": "gpt-x-2025"])
    }

    @Test func anEndpointThatNamesNoModelIsRecordedWithTheConfiguredOne() async throws {
        let llm = ScriptedLLM([#"{"scenario": "booking a table"}"#])
        let completion = await processor(llm).process(try entry(), keys: keys, settings: RunSettings())
        let pushed =
            completion?.operations.compactMap { operation -> Data? in
                if case .push(_, let data) = operation { return data } else { return nil }
            } ?? []
        #expect(try TaskEnvelope.decode(try #require(pushed.first)).item.models == ["scenario_extract": "scripted"])
    }

    @Test func aFailedCallComesBackLaterWithOneMoreAttempt() async throws {
        let llm = FailingLLM(error: .httpStatus(400, message: "bad request", retryAfter: nil))
        let completion = await processor(llm).process(try entry(), keys: keys, settings: RunSettings())
        guard
            case .delay(_, let data) = completion?.operations.first(where: {
                if case .delay = $0 { true } else { false }
            })
        else {
            Issue.record("no delayed retry in \(String(describing: completion))")
            return
        }
        #expect(try TaskEnvelope.decode(data).attempt == 1)
        #expect(increments(completion) == ["errors:http_4xx": 1, "retried:scenario_extract": 1])
    }

    /// An empty reply is retried later, and counted under the run's errors like any failure.
    @Test func anEmptyReplyIsRetriedAndCounted() async throws {
        let llm = ScriptedLLM(["  "])
        let completion = await processor(llm).process(try entry(), keys: keys, settings: RunSettings())
        #expect(
            increments(completion) == [
                "errors:empty_reply": 1, "retried:scenario_extract": 1, "llm_calls:scenario_extract": 1,
                "tokens_prompt:scenario_extract": 10, "tokens_completion:scenario_extract": 5, "charged_tokens": 15,
            ])
        #expect(completion?.operations.contains { if case .delay = $0 { true } else { false } } == true)
    }

    @Test func theLastAttemptGoesToDeadWithTheError() async throws {
        let llm = FailingLLM(error: .httpStatus(400, message: "bad request", retryAfter: nil))
        var settings = RunSettings()
        settings.maxAttempts = 2
        let completion = await processor(llm).process(try entry(attempt: 1), keys: keys, settings: settings)
        #expect(increments(completion) == ["errors:http_4xx": 1, "dead": 1, "failed:scenario_extract": 1])
        guard case .dead(let data) = completion?.operations.first(where: { if case .dead = $0 { true } else { false } })
        else {
            Issue.record("no dead record")
            return
        }
        let removed = try JSONCoding.decode(RemovedItem.self, from: data)
        #expect(removed.reason.contains("400") && removed.attempts == 2 && removed.task != nil)
    }

    @Test func duringAnOutageAFailureSpendsNoAttempt() async throws {
        let outage = OutageDetector(threshold: 2)
        let error = LLMError.transport(.connectRefused, message: "refused")
        outage.llmAttemptFailed(call: "x", error: error, willRetry: true)
        outage.llmAttemptFailed(call: "x", error: error, willRetry: true)
        #expect(outage.isOutage)
        let completion = await processor(FailingLLM(error: error), outage: outage).process(
            try entry(attempt: 3), keys: keys, settings: RunSettings())
        guard case .delay(_, let data) = completion?.operations.first else {
            Issue.record("the task was not put back: \(String(describing: completion))")
            return
        }
        #expect(try TaskEnvelope.decode(data).attempt == 3)
        #expect(increments(completion) == ["errors:paused_for_outage": 1])
    }

    /// A key the endpoint refuses is the fleet's configuration: it pauses work as an outage does,
    /// counted apart, and spends no attempt once the refusals make an outage.
    @Test func aRefusedKeyPausesWorkInsteadOfKillingItems() async throws {
        let outage = OutageDetector(threshold: 2)
        for status in [401, 403] {
            let error = LLMError.httpStatus(status, message: "invalid api key", retryAfter: nil)
            #expect(error.isEndpointWide && error.isCredentialRefusal)
            #expect(error.kind == "http_\(status)")
            outage.llmAttemptFailed(call: "x", error: error, willRetry: false)
        }
        #expect(outage.isOutage)
        let refused = LLMError.httpStatus(401, message: "invalid api key", retryAfter: nil)
        var settings = RunSettings()
        settings.maxAttempts = 2
        let completion = await processor(FailingLLM(error: refused), outage: outage).process(
            try entry(attempt: 1), keys: keys, settings: settings)
        guard case .delay(_, let data) = completion?.operations.first else {
            Issue.record("the task was not put back: \(String(describing: completion))")
            return
        }
        #expect(try TaskEnvelope.decode(data).attempt == 1)
        #expect(increments(completion) == ["errors:paused_for_credentials": 1])
        #expect(!LLMError.httpStatus(400, message: "bad", retryAfter: nil).isEndpointWide)
    }

    @Test func theOutageEndsWithTheFirstSuccessAndIgnoresTaskErrors() {
        let outage = OutageDetector(threshold: 3)
        for _ in 0..<5 {
            outage.llmAttemptFailed(call: "x", error: .httpStatus(400, message: "", retryAfter: nil), willRetry: false)
        }
        #expect(!outage.isOutage)
        for _ in 0..<3 {
            outage.llmAttemptFailed(call: "x", error: .httpStatus(503, message: "", retryAfter: nil), willRetry: true)
        }
        #expect(outage.isOutage)
        outage.llmCallFinished(call: "x", response: ChatResponse(content: "{}"), attempts: 1)
        #expect(!outage.isOutage)
    }

    @Test func garbageIsDeadAndCountedAsAnItem() async throws {
        let completion = await processor(SimulatedLLM()).process(
            Data("not a task".utf8), keys: keys, settings: RunSettings())
        #expect(increments(completion) == ["dead": 1, "failed:unknown": 1, "items": 1])
    }

    @Test func aTaskOfAnotherRunIsDeadAndCountedAsAnItem() async throws {
        let other = RunKeys(namespace: "t", run: "other")
        let completion = await processor(SimulatedLLM()).process(try entry(), keys: other, settings: RunSettings())
        #expect(increments(completion) == ["dead": 1, "failed:scenario_extract": 1, "items": 1])
    }

    @Test func aRealTaskWithNoOperatorIsDeadButNotASecondItem() async throws {
        let completion = await processor(SimulatedLLM(), stages: [:]).process(
            try entry(), keys: keys, settings: RunSettings())
        #expect(increments(completion) == ["dead": 1, "failed:scenario_extract": 1])
    }

    @Test func aCancelledTaskHasNoHandOff() async throws {
        let task = Task {
            await processor(CancelledLLM()).process(try entry(), keys: keys, settings: RunSettings())
        }
        #expect(try await task.value == nil)
    }
}

/// A model call cut off by the worker's stop.
private struct CancelledLLM: LLMBackend {
    var identity: BackendIdentity { .simulated }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        throw CancellationError()
    }
}
