import FcsynthCore

/// A run's dataset figures, for people to look at (`fcsynth report`, its HTML page) and for
/// `export`'s `FILE.meta.json`. Outcomes, reasons and tokens come from the run's counters and
/// removed lists; everything about conversations comes from the records in the output stream,
/// of which `conversations` were read (fewer than `outcomes`' output once `export --follow`
/// has trimmed the stream).
public struct DatasetReport: Codable, Sendable, Hashable {
    public var run: String
    /// output, filtered, dead: how the run's items ended.
    public var outcomes: [RankedCount]
    /// Filter and death reasons, ranked: the reason's text before its first colon, with
    /// words holding a digit as `#`, by stage (`stage: reason`).
    public var filterReasons: [RankedCount]
    public var deadReasons: [RankedCount]
    public var conversations: Int
    /// Per judge criterion, how many kept conversations got each score from 1 to 5.
    public var judgeScores: [String: [RankedCount]]
    /// Checks that found a record wanting (`fail` or `measured_fail`), by check.
    public var ruleViolations: [RankedCount]
    /// Conversations by their number of tool calls, and by assistant turns.
    public var callsPerConversation: [RankedCount]
    public var rounds: [RankedCount]
    /// Assistant turns with tool calls, and those with two or more.
    public var toolTurns: Int
    public var parallelTurns: Int
    /// The share of tool-calling turns that called two or more functions at once.
    public var parallelShare: Double
    /// Conversations by variant; records without one are standard.
    public var variants: [RankedCount]
    public var distinctScenarios: Int
    public var distinctFunctionNames: Int
    /// Distinct word n-grams (n = 1, 2, 3) of the user messages, and all of them: distinct over
    /// all is the usual distinct-n diversity figure.
    public var userNgrams: [NgramCount]
    /// The most used function names (by tool calls), at most 15.
    public var topFunctionNames: [RankedCount]
    /// The largest near-duplicate clusters, at most 15, and how many there are in all.
    public var nearDuplicateClusters: [NearDuplicateCluster]
    public var nearDuplicateClusterCount: Int
    /// The largest clusters of near function sets, at most 15, and how many there are in all.
    public var functionSetClusters: [FunctionSetCluster] = []
    public var functionSetClusterCount: Int = 0
    /// Tokens (and cost, with prices) per kept conversation, by stage.
    public var costPerConversation: [StageCost]
    /// In catalog mode: how the run used each catalog function, and why an unused one was not.
    public var catalogCoverage: CatalogCoverage?

    package enum CodingKeys: String, CodingKey {
        case run, outcomes, conversations, rounds, variants
        case filterReasons = "filter_reasons"
        case deadReasons = "dead_reasons"
        case judgeScores = "judge_scores"
        case ruleViolations = "rule_violations"
        case callsPerConversation = "calls_per_conversation"
        case toolTurns = "tool_turns"
        case parallelTurns = "parallel_turns"
        case parallelShare = "parallel_share"
        case distinctScenarios = "distinct_scenarios"
        case distinctFunctionNames = "distinct_function_names"
        case userNgrams = "user_ngrams"
        case topFunctionNames = "top_function_names"
        case nearDuplicateClusters = "near_duplicate_clusters"
        case nearDuplicateClusterCount = "near_duplicate_cluster_count"
        case functionSetClusters = "function_set_clusters"
        case functionSetClusterCount = "function_set_cluster_count"
        case costPerConversation = "cost_per_conversation"
        case catalogCoverage = "catalog_coverage"
    }
}
