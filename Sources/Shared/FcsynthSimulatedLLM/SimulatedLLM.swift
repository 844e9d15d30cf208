import FcsynthCore
import FcsynthStages

/// An in-process model that answers every stage call with varied, deterministic, valid
/// content, so that the whole pipeline runs with no endpoint: for dry runs, tests and the
/// queue benchmarks.
///
/// It reads the call name (`request.call`) and the data the stage prompts embed: the last
/// ```json block of the last user message carrying one, and for the assistant agent the block
/// of the system prompt plus the dialogue. The same request always gets the same reply, since
/// the content is drawn from a generator seeded with the messages' stable hash. Replies are
/// always bare JSON, whatever `jsonMode` asks.
public struct SimulatedLLM: LLMBackend {
    /// Added to every call by sleeping, to stand in for a real endpoint's wait.
    public var latency: Duration

    public init(latency: Duration = .zero) {
        self.latency = latency
    }

    public var identity: BackendIdentity { .simulated }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
        let content = reply(to: request)
        let promptChars = request.messages.reduce(0) { $0 + $1.content.utf8.count }
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        return ChatResponse(
            content: content, finishReason: "stop",
            usage: TokenUsage(promptTokens: promptChars / 4, completionTokens: content.utf8.count / 4),
            latency: seconds, model: BackendIdentity.simulated.model)
    }

    /// The reply's text. A call the simulator does not know gets an empty JSON object.
    package func reply(to request: ChatRequest) -> String {
        var random = SplitMix64(seed: Self.seed(of: request))
        let data = Self.data(of: request)
        let reply: JSONValue
        switch request.call {
        case StageName.scenarioExtract.rawValue: reply = Self.scenario(data, using: &random)
        case StageName.scenarioExpand.rawValue: reply = Self.expandedScenarios(data, using: &random)
        case StageName.atomTask.rawValue:
            reply =
                data["functions"]?.arrayValue.map { Self.catalogAtomTasks($0, using: &random) }
                ?? Self.atomTasks(data, using: &random)
        case StageName.sequentialTask.rawValue:
            reply =
                data["atom_function"] != nil
                ? Self.catalogSequential(data, using: &random) : Self.sequentialComposition(data, using: &random)
        case StageName.paraSeqTask.rawValue:
            reply =
                data["atom_function"] != nil
                ? Self.catalogParaSeq(data, using: &random) : Self.paraSeqComposition(data, using: &random)
        case StageName.compositionFilter.rawValue: reply = Self.feasibility(data, using: &random)
        case StageName.functionGen.rawValue:
            reply = data["candidates"] != nil ? Self.catalogSelection(data) : Self.functions(data, using: &random)
        case MultiTurnConversationGenerator.Call.user: reply = Self.userMessage(data, using: &random)
        case MultiTurnConversationGenerator.Call.assistant: reply = Self.assistantTurn(request.messages, using: &random)
        case MultiTurnConversationGenerator.Call.tool: reply = Self.toolResult(data, using: &random)
        case MultiTurnConversationGenerator.Call.toolError: reply = Self.toolError(data)
        case StageName.judge.rawValue: reply = Self.judgement(data, using: &random)
        default: reply = .object([:])
        }
        var text = JSONBytes()
        // The same bytes as `PromptData.serialize`, without `JSONEncoder`'s boxing.
        guard (try? text.value(reply)) != nil else { return PromptData.serialize(reply) }
        return String(decoding: text.bytes, as: UTF8.self)
    }

    private static func seed(of request: ChatRequest) -> UInt64 {
        var seed = StableHash.of(request.call)
        for message in request.messages {
            seed = (seed ^ StableHash.of(message.content)) &* 0x0000_0100_0000_01B3
        }
        return seed
    }

    /// The data block of the last user message that has one.
    private static func data(of request: ChatRequest) -> [String: JSONValue] {
        for message in request.messages.reversed() where message.role == .user {
            if let data = PromptData.lastBlock(in: message.content)?.objectValue { return data }
        }
        return [:]
    }
}
