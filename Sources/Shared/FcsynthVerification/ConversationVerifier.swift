import FcsynthCore

/// The meaning checks: whether a well-formed conversation also does what it was asked, with
/// values it was given, in an order that works, and says so truthfully. Deterministic and
/// without I/O, so that generation and `fcsynth check` apply the same rules.
public enum ConversationVerifier {
    /// Runs every rule; those that need the plan are not applicable without one.
    /// `enforceParallel` makes the parallel structure a rule rather than a measure, and
    /// `enforceDerivedValues` the values the rules cannot trace (`derived_value`).
    public static func verify(
        _ conversation: VerifiableConversation, enforceParallel: Bool = false, enforceDerivedValues: Bool = false
    ) -> VerificationReport {
        let sources = MessageSources(conversation.messages)
        var findings = ValueChecks.findings(in: conversation, sources: sources)
        findings += FinalAnswerCheck.findings(in: conversation.messages, sources: sources)
        findings += LeakChecks.findings(in: conversation)
        var notApplicable: Set<VerificationRule> = []
        if let plan = conversation.plan {
            findings += PlanChecks.findings(in: conversation.messages, plan: plan)
        } else {
            notApplicable = Set(VerificationRule.allCases.filter(\.needsPlan))
        }
        return VerificationReport(
            findings: findings, notApplicable: notApplicable,
            measuredOnly: Set(
                [enforceParallel ? nil : .parallelStructure, enforceDerivedValues ? nil : .derivedValue].compactMap {
                    $0
                }
            ))
    }
}
