/// What one batch of the sample used and gave, from its run's counters once it completed.
public struct EstimateBatch: Codable, Sendable, Hashable {
    /// One stage's LLM use, and the tasks it finished (for the chain of dependent calls).
    public struct Stage: Codable, Sendable, Hashable {
        public var calls: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var llmSeconds: Double
        public var done: Int
        public var failed: Int
        public var filtered: Int

        public init(
            calls: Int, promptTokens: Int, completionTokens: Int, llmSeconds: Double, done: Int = 0,
            failed: Int = 0, filtered: Int = 0
        ) {
            self.calls = calls
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.llmSeconds = llmSeconds
            self.done = done
            self.failed = failed
            self.filtered = filtered
        }

        package enum CodingKeys: String, CodingKey {
            case calls, done, failed, filtered
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case llmSeconds = "llm_seconds"
        }
    }

    /// Input rows the batch's run took.
    public var rows: Int
    public var output: Int
    public var filtered: Int
    public var dead: Int
    /// By stage name.
    public var stages: [String: Stage]

    public init(rows: Int, output: Int, filtered: Int = 0, dead: Int = 0, stages: [String: Stage]) {
        self.rows = rows
        self.output = output
        self.filtered = filtered
        self.dead = dead
        self.stages = stages
    }

    public init(status: RunStatus) {
        self.init(
            rows: status.rowsEnqueued, output: status.output, filtered: status.filtered, dead: status.dead,
            stages: status.stages.mapValues {
                Stage(
                    calls: $0.llmCalls, promptTokens: $0.promptTokens, completionTokens: $0.completionTokens,
                    llmSeconds: $0.llmSeconds, done: $0.done, failed: $0.failed, filtered: $0.filtered)
            })
    }

    /// Every stage's use together.
    var total: Stage {
        Stage(calls: calls, promptTokens: promptTokens, completionTokens: completionTokens, llmSeconds: llmSeconds)
    }

    var calls: Int { stages.values.reduce(0) { $0 + $1.calls } }
    var promptTokens: Int { stages.values.reduce(0) { $0 + $1.promptTokens } }
    var completionTokens: Int { stages.values.reduce(0) { $0 + $1.completionTokens } }
    /// Summed in the stages' order, so that the same counters give the same last digit.
    var llmSeconds: Double { stages.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value.llmSeconds } }
}
