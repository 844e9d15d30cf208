import FcsynthCore

/// A stage's talk with the model: asks for one JSON object, checks it, and when the check
/// fails asks again with the error told to the model, up to `maxCorrections` times. Counts
/// the tokens and calls of every attempt, for the step's `StageResult`.
///
/// Model errors (`LLMError`) pass through untouched: the pipeline owns retries and outages.
package struct ModelExchange {
    package let stage: StageName
    package let context: StageContext
    package private(set) var usage = TokenUsage()
    package private(set) var llmCalls = 0
    package private(set) var models: [String: String] = [:]
    /// The repairs the replies this step used needed, by kind.
    package private(set) var repairs: [String: Int] = [:]
    /// Set when `ask` gives up: why, and what becomes of the task.
    package private(set) var stop: StageOutcome?

    package init(_ stage: StageName, context: StageContext) {
        self.stage = stage
        self.context = context
    }

    /// The value `interpret` makes of the reply, or nil when no attempt produced one (then
    /// `stopped()` says what to do with the task).
    ///
    /// An empty reply is a server hiccup rather than a model mistake, so the task is retried
    /// later instead of corrected. A reply cut off at the token limit is corrected like any
    /// other, with the cut named, since asking again later would hit the same limit.
    ///
    /// `call` names the request (the `X-Fcsynth-Stage` header); it defaults to the stage's name.
    /// `schema` is the reply's shape (`ReplySchema`), sent when the run asks for structured output.
    /// `temperature` overrides the run's for calls that judge or execute rather than write.
    package mutating func ask<Value>(
        _ messages: [ChatMessage],
        call: String? = nil,
        schema: JSONValue,
        temperature: Double? = nil,
        interpret: (JSONValue) throws(ReplyProblem) -> Value
    ) async throws -> Value? {
        let settings = context.settings
        let call = call ?? stage.rawValue
        let label = call == stage.rawValue ? call : "\(stage.rawValue)/\(call)"
        var messages = messages
        var attempt = 0
        while true {
            let request = ChatRequest(
                call: call, messages: messages, temperature: temperature ?? settings.temperature,
                maxTokens: Self.maxTokens(settings, stage: stage, call: call), jsonMode: settings.jsonMode,
                replySchema: settings.jsonMode && settings.replySchemas ? schema : nil)
            let response = try await context.llm.complete(request)
            llmCalls += 1
            usage = usage + response.usage
            models[call] = response.model ?? context.llm.identity.model
            guard !Self.isBlank(response.content) else {
                stop = .retry(
                    reason: "\(label): empty reply (finish_reason \(response.finishReason ?? "none"))",
                    kind: "empty_reply")
                return nil
            }
            let problem: ReplyProblem
            do {
                let extracted = try Self.extract(response.content)
                let value = try interpret(extracted.value)
                record(extracted.repairs)
                return value
            } catch {
                problem =
                    response.finishReason == "length"
                    ? ReplyProblem(
                        "the reply was cut off at the token limit, so answer more briefly (\(error.message))")
                    : error
            }
            guard attempt < settings.maxCorrections else {
                let attempts = attempt + 1
                stop = .filtered(
                    reason: "\(label): no usable reply after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(problem)"
                )
                return nil
            }
            attempt += 1
            messages.append(.assistant(response.content))
            messages.append(.user(Self.correction(problem)))
        }
    }

    /// The step's result with this outcome and everything the exchange spent.
    package func result(_ outcome: StageOutcome, counters: [String: Int] = [:]) -> StageResult {
        StageResult(
            outcome: outcome, usage: usage, llmCalls: llmCalls, models: models, repairs: repairs, counters: counters)
    }

    /// The result for a task `ask` gave up on.
    package func stopped() -> StageResult {
        result(stop ?? .filtered(reason: "no usable reply"))
    }

    /// Filters the task for an input field an earlier stage should have filled: a pipeline
    /// bug, reported where it shows rather than crashing the worker.
    package func missing(_ field: String) -> StageResult {
        result(.filtered(reason: "\(stage.rawValue): the item has no \(field)"))
    }

    /// Counts repairs a stage made to a reply it used (numbers read from strings, say).
    package mutating func record(_ made: [ReplyRepair]) {
        for repair in made { repairs[repair.rawValue, default: 0] += 1 }
    }

    private static func extract(_ content: String) throws(ReplyProblem) -> (value: JSONValue, repairs: [ReplyRepair]) {
        // Most replies are one bare object (JSON mode asks for it); parsing those directly
        // skips the extractor's scan of the text.
        if let value = JSONParser.parse(content), value.objectValue != nil {
            return (value, [])
        }
        do {
            return try ReplyExtraction.repairedObject(in: content)
        } catch {
            throw ReplyProblem(String(describing: error))
        }
    }

    /// The run's `--max-tokens` if it set one (0: none at all, the endpoint's own default), else
    /// the call's budget from the stage contract.
    private static func maxTokens(_ settings: PipelineSettings, stage: StageName, call: String) -> Int? {
        guard let limit = settings.maxTokens else { return StageCatalog.replyTokens(stage: stage, call: call) }
        return limit > 0 ? limit : nil
    }

    /// Whether `text` is all whitespace; a reply usually starts with `{`, which settles it
    /// without walking the text's characters.
    private static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first(where: { !JSONScanner.isWhitespace($0) }), (0x21...0x7E).contains(first) {
            return false
        }
        return text.allSatisfy(\.isWhitespace)
    }

    private static func correction(_ problem: ReplyProblem) -> String {
        """
        Your reply cannot be used: \(problem.message).
        Reply again with only the corrected JSON object, in the format asked for above.
        """
    }
}
