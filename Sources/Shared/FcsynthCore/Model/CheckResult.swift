/// What one check found in a record, as its lineage keeps it: every record says which checks
/// ran on it and what each found.
public struct CheckResult: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, Hashable {
        case pass
        case fail
        /// Found wanting, but the run only measures this check.
        case measuredFail = "measured_fail"
        /// The record lacks what the check needs.
        case notApplicable = "not_applicable"
    }

    public var outcome: Outcome
    public var findings: [String]

    public init(outcome: Outcome, findings: [String] = []) {
        self.outcome = outcome
        self.findings = findings
    }

    package enum CodingKeys: String, CodingKey {
        case outcome, findings
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        findings = try container.decodeIfPresent([String].self, forKey: .findings) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        if !findings.isEmpty { try container.encode(findings, forKey: .findings) }
    }
}
