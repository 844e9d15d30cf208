import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// Every call's reply schema against replies the stages accept: the simulator's, which pass
/// every stage's parser, must fit the schema sent with them, or an endpoint that enforces the
/// schema would be unable to write an acceptable reply.
@Suite struct ReplySchemaTests {
    /// Checks each reply against the schema its request carried.
    actor SchemaCheckingLLM: LLMBackend {
        let base = SimulatedLLM()
        private(set) var checked: [String: Int] = [:]
        private(set) var misfits: [String] = []

        nonisolated var identity: BackendIdentity { base.identity }

        func complete(_ request: ChatRequest) async throws -> ChatResponse {
            let response = try await base.complete(request)
            guard let schema = request.replySchema else {
                misfits.append("\(request.call): no reply schema was sent")
                return response
            }
            let reply = JSONParser.parse(response.content) ?? .null
            let violations = JSONSchemaValidator.validate(reply, against: schema)
            if !violations.isEmpty { misfits.append("\(request.call): \(violations)") }
            checked[request.call, default: 0] += 1
            return response
        }
    }

    @Test(arguments: ["sequential", "para_seq"])
    func theRepliesTheStagesAcceptFitTheSchemasSentWithThem(composition: String) async throws {
        var settings = PipelineSettings()
        settings.replySchemas = true
        settings.scenarioExpansions = 1
        settings.composition = try #require(CompositionSetting(rawValue: composition))
        let llm = SchemaCheckingLLM()
        let seeds = (1...6).map { WorkItem(id: "\($0)", line: $0, seed: "USER: help me book a trip number \($0)") }
        let run = try await StageRunner(settings: settings, llm: llm).run(seeds)
        #expect(!run.records.isEmpty)
        #expect(await llm.misfits == [])
        let calls = Set(await llm.checked.keys)
        #expect(
            calls.isSuperset(of: [
                "scenario_extract", "scenario_expand", "atom_task", "composition_filter", "function_gen", "conv_user",
                "conv_assistant", "conv_tool",
            ]), "\(calls)")
    }

    @Test func aReplyOffTheShapeDoesNotFit() {
        let wrong = JSONValue.object(["scenario": .number(3)])
        #expect(!JSONSchemaValidator.validate(wrong, against: ReplySchema.scenario).isEmpty)
        let both = JSONValue.object(["thought": .string("1."), "final": .string("x"), "ask_user": .string("y")])
        #expect(!JSONSchemaValidator.validate(both, against: ReplySchema.assistantTurn(functions: [])).isEmpty)
    }

    @Test func withoutStructuredOutputNoSchemaIsSent() async throws {
        let llm = ScriptedLLM([#"{"scenario": "booking flights for a trip"}"#])
        let item = WorkItem(id: "1", line: 1, seed: "USER: book a flight")
        _ = try await ScenarioExtractor().process(
            item, context: StageContext(run: "r", settings: PipelineSettings(), llm: llm))
        #expect(await llm.requests.first?.replySchema == nil)
    }
}
