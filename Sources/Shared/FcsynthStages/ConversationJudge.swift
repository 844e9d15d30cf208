import FcsynthCore

/// Scores a finished, checked conversation on each `JudgeCriterion` with the model, at
/// temperature 0, and keeps it only when every score reaches the run's `min_judge_score`.
/// The deterministic checks see form and traceable values; the judge sees what they cannot:
/// whether the request was really served and the user sounds like a person.
public struct ConversationJudge: Stage {
    public let name = StageName.judge

    public init() {}

    public func process(_ item: WorkItem, context: StageContext) async throws -> StageResult {
        var exchange = ModelExchange(name, context: context)
        guard let candidate = item.candidate else { return exchange.missing("conversation to judge") }
        let threshold = context.settings.minJudgeScore
        // A verdict, not writing: the same conversation should always get the same scores.
        let answer = try await exchange.ask(Self.prompt(candidate), schema: ReplySchema.judgement, temperature: 0) {
            reply throws(ReplyProblem) in try Self.scores(in: reply)
        }
        guard let (scores, repairs) = answer else { return exchange.stopped() }
        exchange.record(repairs)
        let verdict = JudgeVerdict(scores: scores, threshold: threshold)
        let counters = Dictionary(
            uniqueKeysWithValues: scores.map { ("\(Self.counterPrefix)\($0.key.rawValue):\($0.value.score)", 1) })
        guard verdict.passed else {
            return exchange.result(
                .filtered(
                    reason: "\(name.rawValue): scored below \(threshold): "
                        + verdict.shortfalls.joined(separator: "; ")),
                counters: counters)
        }
        var record = candidate
        record.lineage.judge = verdict
        record.lineage.checks?[name.rawValue] = CheckResult(outcome: .pass)
        return exchange.result(.output(record), counters: counters)
    }

    /// Run counters `judge_score:CRITERION:SCORE`, one per judged item and criterion: the
    /// histogram `status` shows.
    public static let counterPrefix = "judge_score:"

    /// Every criterion's score, an integer from 1 to 5 (or a string holding one, which is
    /// read and counted as a repair), with a non-empty reason.
    package static func scores(
        in reply: JSONValue
    ) throws(ReplyProblem) -> (scores: [JudgeCriterion: JudgeScore], repairs: [ReplyRepair]) {
        let object = try ReplyObject(reply)
        var scores: [JudgeCriterion: JudgeScore] = [:]
        var repairs: [ReplyRepair] = []
        for criterion in JudgeCriterion.allCases {
            let entry = try ReplyObject(try object.value(criterion.rawValue), path: criterion.rawValue)
            let value = try entry.value("score")
            var number = value.numberValue
            if number == nil, let text = value.stringValue?.trimmed, let read = Double(text) {
                number = read
                repairs.append(.numberFromString)
            }
            guard let number, let score = Int(exactly: number), JudgeScore.range.contains(score) else {
                throw ReplyProblem(
                    "\"score\" in \(criterion.rawValue) must be a whole number from 1 to 5, not \(PromptData.serialize(value))"
                )
            }
            scores[criterion] = JudgeScore(score: score, reason: try entry.string("reason"))
        }
        return (scores, repairs)
    }
}
