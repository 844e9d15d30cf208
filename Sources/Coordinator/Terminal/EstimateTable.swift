import FcsynthCore
import FcsynthPipeline
import Foundation

/// An estimate as text for people: figures as "mean [low–high]".
struct EstimateTable {
    var report: EstimateReport

    func render() -> String {
        let sample = report.sample
        let estimate = report.estimate
        var lines: [String] = []
        var header = "estimate of \(report.file): \(report.rows) valid rows"
        if report.rowsRejected > 0 { header += " (+\(report.rowsRejected) rejected)" }
        lines.append(header + "; endpoint \(report.endpoint)")
        var ran = String(
            format: "sample: %d rows (one in %.1f) in %d runs, %@: output %d, filtered %d, dead %d",
            sample.rows, sample.stride, sample.batches, TerminalLine.duration(sample.seconds), sample.output,
            sample.filtered, sample.dead)
        if sample.rowsDuplicate > 0 { ran += " (\(sample.rowsDuplicate) repeated rows skipped)" }
        lines.append(ran)
        lines.append(
            "  \(Self.count(Double(sample.calls))) calls, \(Self.count(Double(sample.promptTokens))) prompt and \(Self.count(Double(sample.completionTokens))) completion tokens, billed at the endpoint's price"
        )
        let stages = StageName.allCases.map(\.rawValue).compactMap { name in estimate.stages[name].map { (name, $0) } }
        lines.append("")
        lines.append(Self.row(["per input row", "calls", "prompt tokens", "completion tokens", "latency s"]))
        for (name, stage) in stages + [("total", estimate.total)] {
            lines.append(
                Self.row([
                    name, Self.figure(stage.perRow.calls), Self.figure(stage.perRow.promptTokens),
                    Self.figure(stage.perRow.completionTokens), stage.latencySeconds.map(Self.figure) ?? "-",
                ]))
        }
        lines.append("")
        if estimate.total.perConversation != nil {
            lines.append(Self.row(["per kept conversation", "calls", "prompt tokens", "completion tokens"]))
            for (name, stage) in stages + [("total", estimate.total)] {
                guard let use = stage.perConversation else { continue }
                lines.append(
                    Self.row([
                        name, Self.figure(use.calls), Self.figure(use.promptTokens), Self.figure(use.completionTokens),
                    ]))
            }
        } else {
            lines.append("per kept conversation: none was kept")
        }
        lines.append("")
        lines.append("yield: \(Self.figure(estimate.yield)) kept conversations per input row")
        lines += projection()
        lines.append("")
        let degrees = estimate.batches - 1
        lines.append(
            "intervals: \(Int(estimate.confidence * 100))% Student-t over the \(estimate.batches) runs (\(degrees) degree\(degrees == 1 ? "" : "s") of freedom\(estimate.batches < 6 ? ", so wide" : "")); a larger --sample narrows them"
        )
        for (title, reasons) in [("filtered", report.filteredReasons), ("dead", report.deadReasons)]
        where !reasons.isEmpty {
            lines.append("\(title): " + reasons.map { "\($0.kind) (\($0.count))" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    private func projection() -> [String] {
        let projection = report.estimate.projection
        let fleet = report.fleet
        var limits = ""
        if fleet.requestsPerMinute > 0 { limits += ", --rpm \(fleet.requestsPerMinute)" }
        if fleet.tokensPerMinute > 0 { limits += ", --tpm \(fleet.tokensPerMinute)" }
        var lines = [
            "",
            "projected for \(projection.rows) rows on \(fleet.workers) workers × \(fleet.concurrency) concurrency\(limits):",
            Self.row(["  calls", Self.figure(projection.calls)]),
            Self.row(["  prompt tokens", Self.figure(projection.promptTokens)]),
            Self.row(["  completion tokens", Self.figure(projection.completionTokens)]),
        ]
        if let cost = projection.cost {
            lines.append(Self.row(["  cost", Self.figure(cost)]))
        } else {
            lines.append("  cost: give --price-prompt-per-million and --price-completion-per-million")
        }
        lines.append(
            Self.row(["  wall time, at least", Self.duration(projection.wallSeconds)])
                + "the largest of: "
                + RunEstimate.WallTimeBound.allCases.compactMap { bound in
                    projection.bounds[bound.rawValue].map { "\(Self.name(bound)) \(Self.duration($0))" }
                }.joined(separator: ", "))
        lines.append("  decided by \(Self.name(projection.decidedBy))\(Self.explanation(projection.decidedBy))")
        return lines
    }

    private static func name(_ bound: RunEstimate.WallTimeBound) -> String {
        switch bound {
        case .concurrency: "concurrency"
        case .chain: "chain"
        case .rpm: "--rpm"
        case .tpm: "--tpm"
        }
    }

    private static func explanation(_ bound: RunEstimate.WallTimeBound) -> String {
        switch bound {
        case .concurrency: ": every call at the mean latency, over workers × concurrency; more of either helps"
        case .chain: ": one conversation's calls, one after the other, at the mean latency; more workers do not help"
        case .rpm: ": the run's requests per minute"
        case .tpm: ": the run's tokens per minute"
        }
    }

    private static func figure(_ interval: EstimateInterval) -> String {
        guard let low = interval.low, let high = interval.high else { return number(interval.mean) }
        return "\(number(interval.mean)) [\(number(low))–\(number(high))]"
    }

    private static func duration(_ interval: EstimateInterval) -> String {
        let mean = duration(interval.mean)
        guard let low = interval.low, let high = interval.high else { return mean }
        return "\(mean) [\(duration(low))–\(duration(high))]"
    }

    /// Tenths of a second below 10 s, where a simulated endpoint's projections land.
    private static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<10: String(format: "%.1f s", seconds)
        case ..<60: String(format: "%.0f s", seconds)
        default: TerminalLine.duration(seconds)
        }
    }

    /// Three significant digits or so: a projection is not more precise than that.
    private static func number(_ value: Double) -> String {
        switch abs(value) {
        case 1000...: count(value)
        case 100...: String(format: "%.0f", value)
        case 10...: String(format: "%.1f", value)
        default: String(format: "%.2f", value)
        }
    }

    private static func count(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value.rounded())) ?? String(Int(value.rounded()))
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [22, 26, 30, 26, 20]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }
}
