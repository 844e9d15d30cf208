import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

@Suite struct SimulatedLLMTests {
    func request(_ call: String, _ data: [String: JSONValue]) -> ChatRequest {
        ChatRequest(call: call, messages: [.system("s"), .user("Task.\n" + PromptData.block(data))])
    }

    @Test func answersTheSameRequestTheSameWay() async throws {
        let llm = SimulatedLLM()
        let request = request("scenario_extract", ["seed_chat": .string("hello")])
        let first = try await llm.complete(request)
        let second = try await llm.complete(request)
        #expect(first == second)
        #expect(try ReplyExtraction.jsonObject(in: first.content)["scenario"]?.stringValue != nil)
        #expect(
            first.usage
                == TokenUsage(
                    promptTokens: request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4,
                    completionTokens: first.content.utf8.count / 4))
    }

    @Test func variesWithTheRequest() {
        let scenarios = Set(
            (0..<60).map { index in
                SimulatedLLM().reply(to: request("scenario_extract", ["seed_chat": .string("chat \(index)")]))
            })
        #expect(scenarios.count >= 10)
    }

    @Test func answersUnknownCallsWithAnEmptyObject() {
        #expect(SimulatedLLM().reply(to: ChatRequest(call: "other", messages: [.user("hi")])) == "{}")
    }

    @Test func findsAboutOneCompositionInTwentyInfeasible() throws {
        let infeasible = try (0..<2000).filter { index in
            let reply = SimulatedLLM().reply(
                to: request(
                    "composition_filter",
                    [
                        "composition_task": .string("Task \(index)"),
                        "sub_tasks": JSONValue(strings: ["a", "b"]),
                    ]))
            let verdict = try JSONCoding.decode(JSONValue.self, from: reply)["feasible"]
            #expect(verdict?.boolValue != nil)
            return verdict == .bool(false)
        }
        let share = Double(infeasible.count) / 2000
        #expect(share > 0.03 && share < 0.07)
    }

    @Test func designsValidChainedFunctions() throws {
        let subTasks = [
            "Find the cheapest economy flight from Lisbon to Oslo on 3 May 2025.",
            "Book a seat on that flight for Anna Weber.",
        ]
        var lookups = Set<Int>()
        for index in 0..<30 {
            let reply = SimulatedLLM().reply(
                to: request(
                    "function_gen",
                    [
                        "composition_task": .string("Task \(index): " + subTasks.joined(separator: " ")),
                        "sub_tasks": JSONValue(strings: subTasks),
                    ]))
            let (designed, repairs) = try FunctionGenerator.subTasks(
                in: JSONCoding.decode(JSONValue.self, from: reply),
                expecting: subTasks.map { SubTask(task: $0) })
            #expect(repairs.isEmpty)
            lookups.insert(designed[0].functions.count)
            #expect(designed[0].functions.first?.name == "search_flights")
            #expect(designed[1].functions.map(\.name) == ["book_flight"])
        }
        #expect(lookups == [1, 2])
    }

    @Test func waitsForItsLatency() async throws {
        let llm = SimulatedLLM(latency: .milliseconds(30))
        let start = ContinuousClock.now
        let response = try await llm.complete(request("scenario_extract", ["seed_chat": .string("x")]))
        #expect(ContinuousClock.now - start >= .milliseconds(30))
        #expect(abs(response.latency - 0.03) < 1e-9)
    }
}
