import FcsynthCore
import FcsynthVerification

/// `fcsynth check`: every form and meaning check on each line of a dataset, with a tally per
/// rule. A line is judged alone, so that a file of any size streams through in constant memory.
public struct DatasetChecker: Sendable {
    /// What one line came to.
    public struct Verdict: Sendable {
        public var line: Int
        public var format: ExportFormat?
        /// Rule name and detail, form checks under `form`, a line that cannot be read under `unreadable`.
        public var failures: [(rule: String, detail: String)]
        public var notApplicable: [String]
        /// Findings of measured-only rules: reported, not failing.
        public var measured: [(rule: String, detail: String)]

        public var passed: Bool { failures.isEmpty }
    }

    public let enforceParallel: Bool
    public let enforceDerivedValues: Bool
    public private(set) var summary = DatasetCheckSummary()

    public init(enforceParallel: Bool = false, enforceDerivedValues: Bool = false) {
        self.enforceParallel = enforceParallel
        self.enforceDerivedValues = enforceDerivedValues
    }

    public mutating func check(line: Int, bytes: [UInt8]) -> Verdict {
        let parsed: DatasetLineReader.Parsed
        do {
            parsed = try DatasetLineReader.read(bytes)
        } catch {
            let verdict = Verdict(
                line: line, format: nil, failures: [("unreadable", error.reason)], notApplicable: [], measured: [])
            summary.count(verdict)
            return verdict
        }
        var failures = formFailures(parsed).map { (rule: "form", detail: $0.description) }
        let report = ConversationVerifier.verify(
            parsed.conversation, enforceParallel: enforceParallel, enforceDerivedValues: enforceDerivedValues)
        failures += report.violations.map { (rule: $0.rule.rawValue, detail: "\($0.path): \($0.detail)") }
        let measured = report.findings.filter { report.measuredOnly.contains($0.rule) }
            .map { (rule: $0.rule.rawValue, detail: "\($0.path): \($0.detail)") }
        let verdict = Verdict(
            line: line, format: parsed.format, failures: failures,
            notApplicable: report.notApplicable.map(\.rawValue).sorted(), measured: measured)
        summary.count(verdict)
        return verdict
    }

    /// The form validator: the whole record for raw lines; otherwise the dialogue, against the
    /// tools' parameters (results have no schema outside fcsynth's raw format).
    private func formFailures(_ parsed: DatasetLineReader.Parsed) -> [SchemaViolation] {
        if let record = parsed.record { return ConversationValidator.validate(record) }
        var messages = parsed.conversation.messages
        if messages.first?.role != .system {
            // Other datasets often leave the system prompt out; that is no fault of the dialogue.
            messages.insert(OutputMessage(role: .system, content: "-"), at: 0)
        }
        return ConversationValidator.checkDialogue(messages, functions: parsed.conversation.functions)
    }
}
