/// What the judge stage made of a conversation, as the record's lineage keeps it.
public struct JudgeVerdict: Codable, Sendable, Hashable {
    /// A score for every criterion.
    public var scores: [JudgeCriterion: JudgeScore]
    /// The run's `min_judge_score`: every score must reach it for the record to be kept.
    public var threshold: Int

    public init(scores: [JudgeCriterion: JudgeScore], threshold: Int) {
        self.scores = scores
        self.threshold = threshold
    }

    /// The lowest score, which decides the verdict.
    public var minimum: Int { scores.values.map(\.score).min() ?? JudgeScore.range.lowerBound }

    public var passed: Bool { minimum >= threshold }

    /// The scores below the threshold, in criterion order, as a filter reason names them.
    public var shortfalls: [String] {
        scores.sorted { $0.key < $1.key }.filter { $0.value.score < threshold }.map {
            "\($0.key.rawValue) \($0.value.score) (\($0.value.reason))"
        }
    }

    package enum CodingKeys: String, CodingKey {
        case scores, threshold
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try container.decode(Int.self, forKey: .threshold)
        let named = try container.decode([String: JudgeScore].self, forKey: .scores)
        var scores: [JudgeCriterion: JudgeScore] = [:]
        for (name, score) in named {
            guard let criterion = JudgeCriterion(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .scores, in: container, debugDescription: "unknown judge criterion \(name)")
            }
            scores[criterion] = score
        }
        self.scores = scores
    }

    /// Scores keyed by the criterion's name, as an object rather than Codable's array of pairs.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            Dictionary(uniqueKeysWithValues: scores.map { ($0.key.rawValue, $0.value) }), forKey: .scores)
        try container.encode(threshold, forKey: .threshold)
    }
}
