/// What `fcsynth estimate` found: the file, the sample it ran and what that used, the
/// projection for the whole file, and why sampled items were removed. `--json` prints it.
public struct EstimateReport: Codable, Sendable, Hashable {
    /// The sample as it ran: its batches' counters added up.
    public struct Sample: Codable, Sendable, Hashable {
        /// Rows the batches took.
        public var rows: Int
        public var batches: Int
        /// Valid rows of the file per sampled row.
        public var stride: Double
        public var seconds: Double
        public var output: Int
        public var filtered: Int
        public var dead: Int
        /// Sampled rows repeating a chat of their batch, skipped as a run skips them.
        public var rowsDuplicate: Int
        public var calls: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var llmSeconds: Double
        /// By stage name, for the stages that called the LLM.
        public var stages: [String: EstimateBatch.Stage]

        public init(batches: [EstimateBatch], stride: Double, seconds: Double, rowsDuplicate: Int) {
            rows = batches.reduce(0) { $0 + $1.rows }
            self.batches = batches.count
            self.stride = stride
            self.seconds = seconds
            output = batches.reduce(0) { $0 + $1.output }
            filtered = batches.reduce(0) { $0 + $1.filtered }
            dead = batches.reduce(0) { $0 + $1.dead }
            self.rowsDuplicate = rowsDuplicate
            calls = batches.reduce(0) { $0 + $1.calls }
            promptTokens = batches.reduce(0) { $0 + $1.promptTokens }
            completionTokens = batches.reduce(0) { $0 + $1.completionTokens }
            llmSeconds = batches.reduce(0) { $0 + $1.llmSeconds }
            var stages: [String: EstimateBatch.Stage] = [:]
            for batch in batches {
                for (name, use) in batch.stages where use.calls > 0 {
                    var sum =
                        stages[name]
                        ?? EstimateBatch.Stage(calls: 0, promptTokens: 0, completionTokens: 0, llmSeconds: 0)
                    sum.calls += use.calls
                    sum.promptTokens += use.promptTokens
                    sum.completionTokens += use.completionTokens
                    sum.llmSeconds += use.llmSeconds
                    sum.done += use.done
                    sum.failed += use.failed
                    sum.filtered += use.filtered
                    stages[name] = sum
                }
            }
            self.stages = stages
        }

        package enum CodingKeys: String, CodingKey {
            case rows, batches, stride, seconds, output, filtered, dead, calls, stages
            case rowsDuplicate = "rows_duplicate"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case llmSeconds = "llm_seconds"
        }
    }

    public var file: String
    /// The file's valid rows: what the projection is for.
    public var rows: Int
    /// Rows enqueue would reject.
    public var rowsRejected: Int
    /// The backend the sample ran on, as `fcsynth run` names it.
    public var endpoint: String
    public var fleet: RunEstimate.Fleet
    public var prices: RunEstimate.Prices?
    public var sample: Sample
    public var estimate: RunEstimate
    public var filteredReasons: [RemovalReason]
    public var deadReasons: [RemovalReason]

    public init(
        file: String, rows: Int, rowsRejected: Int, endpoint: String, fleet: RunEstimate.Fleet,
        prices: RunEstimate.Prices?, sample: Sample, estimate: RunEstimate, filteredReasons: [RemovalReason],
        deadReasons: [RemovalReason]
    ) {
        self.file = file
        self.rows = rows
        self.rowsRejected = rowsRejected
        self.endpoint = endpoint
        self.fleet = fleet
        self.prices = prices
        self.sample = sample
        self.estimate = estimate
        self.filteredReasons = filteredReasons
        self.deadReasons = deadReasons
    }

    package enum CodingKeys: String, CodingKey {
        case file, rows, endpoint, fleet, prices, sample, estimate
        case rowsRejected = "rows_rejected"
        case filteredReasons = "filtered_reasons"
        case deadReasons = "dead_reasons"
    }
}
