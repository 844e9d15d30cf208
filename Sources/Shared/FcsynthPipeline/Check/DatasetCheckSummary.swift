/// Counts over a checked dataset: lines, failing lines, and per rule how many lines it
/// failed, measured against, or could not judge.
public struct DatasetCheckSummary: Codable, Sendable, Hashable {
    public struct RuleCounts: Codable, Sendable, Hashable {
        public var failed = 0
        public var measured = 0
        public var notApplicable = 0

        package enum CodingKeys: String, CodingKey {
            case failed, measured
            case notApplicable = "not_applicable"
        }
    }

    public var records = 0
    public var failed = 0
    public var formats: [String: Int] = [:]
    public var rules: [String: RuleCounts] = [:]

    public init() {}

    mutating func count(_ verdict: DatasetChecker.Verdict) {
        records += 1
        if !verdict.passed { failed += 1 }
        formats[verdict.format?.rawValue ?? "unreadable", default: 0] += 1
        for rule in Set(verdict.failures.map(\.rule)) { rules[rule, default: RuleCounts()].failed += 1 }
        for rule in Set(verdict.measured.map(\.rule)) { rules[rule, default: RuleCounts()].measured += 1 }
        for rule in verdict.notApplicable { rules[rule, default: RuleCounts()].notApplicable += 1 }
    }
}
