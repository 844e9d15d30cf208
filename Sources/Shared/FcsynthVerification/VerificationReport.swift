import FcsynthCore

/// What each rule found in one conversation.
public struct VerificationReport: Sendable, Hashable {
    public var findings: [VerificationFinding]
    /// Rules that could not run, for want of the task plan.
    public var notApplicable: Set<VerificationRule>
    /// Rules measured but not enforced: their findings are reported, and do not fail the record.
    public var measuredOnly: Set<VerificationRule>

    public init(
        findings: [VerificationFinding], notApplicable: Set<VerificationRule>, measuredOnly: Set<VerificationRule>
    ) {
        self.findings = findings
        self.notApplicable = notApplicable
        self.measuredOnly = measuredOnly
    }

    /// Findings of enforced rules: any one fails the record.
    public var violations: [VerificationFinding] {
        findings.filter { !measuredOnly.contains($0.rule) }
    }

    public var passed: Bool { violations.isEmpty }

    /// The report as a record's lineage keeps it: every rule with its outcome.
    public var checks: [String: CheckResult] {
        var checks: [String: CheckResult] = [:]
        for rule in VerificationRule.allCases {
            let found = findings.filter { $0.rule == rule }.map(\.description)
            let outcome: CheckResult.Outcome
            if notApplicable.contains(rule) {
                outcome = .notApplicable
            } else if found.isEmpty {
                outcome = .pass
            } else {
                outcome = measuredOnly.contains(rule) ? .measuredFail : .fail
            }
            checks[rule.rawValue] = CheckResult(outcome: outcome, findings: found)
        }
        return checks
    }
}
