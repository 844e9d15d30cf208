import FcsynthCore

/// The bill for a whole file, projected from a sample run as independent batches: per stage and
/// in total, the calls and tokens per input row and per kept conversation, the yield, and for
/// the file's rows the calls, tokens, cost and wall time. Each figure is computed per batch, then
/// given as the batches' mean with a Student-t interval (`EstimateInterval`). Pure: counters in,
/// estimate out.
public struct RunEstimate: Codable, Sendable, Hashable {
    /// Of every interval: two-sided, from the t distribution with batches − 1 degrees of freedom.
    public static let confidence = 0.9

    /// The fleet that will run the real job, and the run's fleet-wide limits (0: none).
    public struct Fleet: Codable, Sendable, Hashable {
        public var workers: Int
        public var concurrency: Int
        public var requestsPerMinute: Int
        public var tokensPerMinute: Int

        public init(workers: Int, concurrency: Int, requestsPerMinute: Int = 0, tokensPerMinute: Int = 0) {
            self.workers = workers
            self.concurrency = concurrency
            self.requestsPerMinute = requestsPerMinute
            self.tokensPerMinute = tokensPerMinute
        }

        /// LLM calls in flight at once: each task makes one call at a time.
        var slots: Int { max(1, workers) * max(1, concurrency) }

        package enum CodingKeys: String, CodingKey {
            case workers, concurrency
            case requestsPerMinute = "rpm"
            case tokensPerMinute = "tpm"
        }
    }

    /// Per million tokens.
    public struct Prices: Codable, Sendable, Hashable {
        public var prompt: Double
        public var completion: Double
        /// Per million prompt tokens served from the endpoint's cache; nil: at the prompt price.
        public var cached: Double?

        public init(prompt: Double, completion: Double, cached: Double? = nil) {
            self.prompt = prompt
            self.completion = completion
            self.cached = cached
        }

        public func cost(prompt promptTokens: Double, completion completionTokens: Double) -> Double {
            promptTokens / 1e6 * prompt + completionTokens / 1e6 * completion
        }

        /// In US dollars (or whatever currency the prices are in): the cached part of the prompt
        /// at its own rate, the rest at the prompt price.
        public func cost(_ usage: TokenUsage) -> Double {
            Double(nanoDollars(usage)) / 1e9
        }

        /// The cost in billionths, the unit the run's spend counter adds up in Redis: exact for
        /// prices given to a thousandth per million tokens, rounded below that.
        public func nanoDollars(_ usage: TokenUsage) -> Int {
            let cachedTokens = min(usage.cachedTokens, usage.promptTokens)
            let billionths =
                Double(usage.promptTokens - cachedTokens) * prompt + Double(cachedTokens) * (cached ?? prompt)
                + Double(usage.completionTokens) * completion
            return Int((billionths * 1000).rounded())
        }
    }

    /// Calls and tokens per input row, or per kept conversation.
    public struct Use: Codable, Sendable, Hashable {
        public var calls: EstimateInterval
        public var promptTokens: EstimateInterval
        public var completionTokens: EstimateInterval

        package enum CodingKeys: String, CodingKey {
            case calls
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    public struct StageEstimate: Codable, Sendable, Hashable {
        public var perRow: Use
        /// Nil when no batch kept a conversation.
        public var perConversation: Use?
        /// The mean time the endpoint took per call; nil without calls.
        public var latencySeconds: EstimateInterval?

        package enum CodingKeys: String, CodingKey {
            case perRow = "per_row"
            case perConversation = "per_conversation"
            case latencySeconds = "latency_seconds"
        }
    }

    /// What the whole file's wall time cannot be shorter than.
    public enum WallTimeBound: String, Codable, Sendable, Hashable, CaseIterable {
        /// Every call, at the mean latency, over the fleet's workers × concurrency.
        case concurrency
        /// The dependent calls of one conversation, one after the other, at the mean latency.
        case chain
        /// Every call within `--rpm`.
        case rpm
        /// Every token within `--tpm`.
        case tpm
    }

    public struct Projection: Codable, Sendable, Hashable {
        public var rows: Int
        public var calls: EstimateInterval
        public var promptTokens: EstimateInterval
        public var completionTokens: EstimateInterval
        public var tokens: EstimateInterval
        /// Nil without prices.
        public var cost: EstimateInterval?
        /// The largest bound, per batch.
        public var wallSeconds: EstimateInterval
        /// Each bound that applies, by `WallTimeBound` name.
        public var bounds: [String: EstimateInterval]
        /// The bound with the largest mean.
        public var decidedBy: WallTimeBound

        package enum CodingKeys: String, CodingKey {
            case rows, calls, tokens, cost, bounds
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case wallSeconds = "wall_seconds"
            case decidedBy = "decided_by"
        }
    }

    public var confidence: Double
    /// Batches that took rows.
    public var batches: Int
    /// By stage name: the stages that called the LLM.
    public var stages: [String: StageEstimate]
    public var total: StageEstimate
    /// Kept conversations per input row.
    public var yield: EstimateInterval
    /// LLM calls one after the other on the way from a row to a kept conversation: at each step
    /// of the pipeline, the calls per item that reached it, summed. The longest chain is longer,
    /// so the chain bound is a floor.
    public var chainCalls: EstimateInterval
    public var projection: Projection

    package enum CodingKeys: String, CodingKey {
        case confidence, batches, stages, total, yield, projection
        case chainCalls = "chain_calls"
    }

    /// The steps an item takes, in order; stages that are alternatives share a step.
    static let path: [[StageName]] = [
        [.scenarioExtract], [.scenarioExpand], [.atomTask], [.sequentialTask, .paraSeqTask], [.compositionFilter],
        [.functionGen], [.conversation], [.judge],
    ]
    /// Stages that hand an item back to themselves once per call: their items are the ones the
    /// step before handed on, not their tasks.
    static let loops: Set<StageName> = [.conversation]

    /// Nil when no batch took a row.
    public init?(batches: [EstimateBatch], fileRows: Int, fleet: Fleet, prices: Prices?) {
        let measured = batches.filter { $0.rows > 0 }
        guard !measured.isEmpty else { return nil }
        let zero = EstimateBatch.Stage(calls: 0, promptTokens: 0, completionTokens: 0, llmSeconds: 0)
        var stages: [String: StageEstimate] = [:]
        for stage in StageName.allCases.map(\.rawValue)
        where measured.contains(where: { ($0.stages[stage]?.calls ?? 0) > 0 }) {
            stages[stage] = Self.estimate(measured) { $0.stages[stage] ?? zero }
        }
        let total = Self.estimate(measured, \.total)
        let rows = Double(fileRows)
        let latency = measured.map { $0.calls > 0 ? $0.llmSeconds / Double($0.calls) : 0 }
        let chain = measured.map(Self.chainCalls)
        var perBatchBounds: [WallTimeBound: [Double]] = [:]
        var wall: [Double] = []
        var cost: [Double] = []
        for (index, batch) in measured.enumerated() {
            let share = rows / Double(batch.rows)
            let calls = Double(batch.calls) * share
            let tokens = Double(batch.promptTokens + batch.completionTokens) * share
            var bounds: [WallTimeBound: Double] = [
                .concurrency: calls * latency[index] / Double(fleet.slots), .chain: chain[index] * latency[index],
            ]
            if fleet.requestsPerMinute > 0 { bounds[.rpm] = calls / Double(fleet.requestsPerMinute) * 60 }
            if fleet.tokensPerMinute > 0 { bounds[.tpm] = tokens / Double(fleet.tokensPerMinute) * 60 }
            for (bound, seconds) in bounds { perBatchBounds[bound, default: []].append(seconds) }
            wall.append(bounds.values.max() ?? 0)
            if let prices {
                cost.append(
                    prices.cost(
                        prompt: Double(batch.promptTokens) * share, completion: Double(batch.completionTokens) * share))
            }
        }
        let bounds = perBatchBounds.compactMapValues { EstimateInterval(of: $0) }
        let decidedBy =
            WallTimeBound.allCases.filter { bounds[$0] != nil }.max {
                (bounds[$0]?.mean ?? 0) < (bounds[$1]?.mean ?? 0)
            }
            ?? .concurrency
        let perRow = total.perRow
        self.confidence = Self.confidence
        self.batches = measured.count
        self.stages = stages
        self.total = total
        self.yield = EstimateInterval(of: measured.map { Double($0.output) / Double($0.rows) })!
        self.chainCalls = EstimateInterval(of: chain)!
        self.projection = Projection(
            rows: fileRows, calls: perRow.calls.scaled(by: rows), promptTokens: perRow.promptTokens.scaled(by: rows),
            completionTokens: perRow.completionTokens.scaled(by: rows),
            tokens: EstimateInterval(
                of: measured.map { Double($0.promptTokens + $0.completionTokens) / Double($0.rows) })!
                .scaled(by: rows),
            cost: EstimateInterval(of: cost), wallSeconds: EstimateInterval(of: wall)!,
            bounds: Dictionary(uniqueKeysWithValues: bounds.map { ($0.key.rawValue, $0.value) }), decidedBy: decidedBy)
    }

    /// A stage's figures (or the total's), from what each batch used there.
    private static func estimate(
        _ batches: [EstimateBatch], _ figures: (EstimateBatch) -> EstimateBatch.Stage
    ) -> StageEstimate {
        func use(per divisor: (EstimateBatch) -> Int) -> Use? {
            let kept = batches.filter { divisor($0) > 0 }
            func interval(_ value: (EstimateBatch.Stage) -> Int) -> EstimateInterval? {
                EstimateInterval(of: kept.map { Double(value(figures($0))) / Double(divisor($0)) })
            }
            guard let calls = interval(\.calls), let prompt = interval(\.promptTokens),
                let completion = interval(\.completionTokens)
            else { return nil }
            return Use(calls: calls, promptTokens: prompt, completionTokens: completion)
        }
        let latency = batches.map(figures).filter { $0.calls > 0 }.map { $0.llmSeconds / Double($0.calls) }
        return StageEstimate(
            perRow: use(per: \.rows)!, perConversation: use(per: \.output),
            latencySeconds: EstimateInterval(of: latency))
    }

    static func chainCalls(_ batch: EstimateBatch) -> Double {
        let zero = EstimateBatch.Stage(calls: 0, promptTokens: 0, completionTokens: 0, llmSeconds: 0)
        var chain = 0.0
        var previous: [EstimateBatch.Stage] = []
        for step in path {
            let stages = step.map { batch.stages[$0.rawValue] ?? zero }
            let calls = stages.reduce(0) { $0 + $1.calls }
            let items =
                step.contains(where: loops.contains)
                ? previous.reduce(0) { $0 + $1.done - $1.filtered } : stages.reduce(0) { $0 + $1.done + $1.failed }
            if items > 0 { chain += Double(calls) / Double(items) }
            previous = stages
        }
        return chain
    }
}
