import Foundation

/// The one line of figures each scenario prints, for docs/reliability.md.
struct ChaosFigures {
    var fault: String
    var audit: ChaosAudit
    /// Seconds from the end of the fault until the run made progress again.
    var resumed: Double?
    /// Seconds from the end of the fault until the run was complete.
    var settled: Double
    /// Anything else the scenario measured, as `name=value`.
    var extra: [(String, String)] = []

    var line: String {
        let status = audit.status
        var fields = [
            ("items", "\(status.items)"), ("output", "\(status.output)"), ("filtered", "\(status.filtered)"),
            ("dead", "\(status.dead)"), ("duplicates", "\(audit.duplicates + audit.exportDuplicates)"),
            ("lost", "\(audit.lost)"),
            ("recovered", "\(status.recovered)"), ("replayed_calls", "\(status.replayedCalls)"),
            ("tokens", "\(status.promptTokens + status.completionTokens)"), ("tokens_saved", "\(status.tokensSaved)"),
        ]
        if let resumed { fields.append(("resumed_s", String(format: "%.1f", resumed))) }
        fields.append(("settled_s", String(format: "%.1f", settled)))
        fields += extra
        return "CHAOS \(fault): " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    func report() {
        print(line)
    }
}
