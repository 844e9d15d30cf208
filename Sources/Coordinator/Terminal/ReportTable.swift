import FcsynthCore
import FcsynthPipeline
import Foundation

/// A run's dataset report as text for a terminal: each figure a titled list of bars.
struct ReportTable {
    var report: DatasetReport

    func render() -> String {
        var lines = ["dataset report: run \(report.run), \(report.conversations) conversations read"]
        section("items by outcome", report.outcomes, into: &lines)
        section("filter reasons", report.filterReasons, into: &lines)
        section("dead reasons", report.deadReasons, into: &lines)
        for criterion in report.judgeScores.keys.sorted() {
            section("judge scores: \(criterion) (1 to 5)", report.judgeScores[criterion] ?? [], into: &lines)
        }
        section("rule violations", report.ruleViolations, into: &lines)
        section("tool calls per conversation", report.callsPerConversation, into: &lines)
        section("assistant turns per conversation", report.rounds, into: &lines)
        lines.append(
            "parallel turns: \(report.parallelTurns) of \(report.toolTurns) tool-calling turns ("
                + String(format: "%.1f%%", report.parallelShare * 100) + ")")
        section("variants", report.variants, into: &lines)
        lines.append(
            "distinct: \(report.distinctScenarios) scenarios, \(report.distinctFunctionNames) function names; user requests' "
                + report.userNgrams.map {
                    "distinct-\($0.n) \($0.distinct)/\($0.total) (" + String(format: "%.3f", $0.share) + ")"
                }
                .joined(separator: ", "))
        section("most called functions", report.topFunctionNames, into: &lines)
        lines.append("near-duplicate clusters: \(report.nearDuplicateClusterCount)")
        for cluster in report.nearDuplicateClusters {
            lines.append(
                "  \(cluster.original): \(cluster.repeats.count) repeats (\(cluster.scenariosNear) with a near scenario)  "
                    + (cluster.task ?? ""))
        }
        lines.append("function-set clusters (kept): \(report.functionSetClusterCount)")
        for cluster in report.functionSetClusters {
            lines.append(
                "  \(cluster.original): \(cluster.repeats.count) near sets  "
                    + (cluster.functions?.joined(separator: ", ") ?? ""))
        }
        lines.append("per kept conversation, by stage:")
        for stage in report.costPerConversation {
            var line =
                "  \(stage.stage.padding(toLength: 20, withPad: " ", startingAt: 0))"
                + String(format: "prompt %9.1f  completion %9.1f", stage.promptTokens, stage.completionTokens)
            if let cost = stage.cost { line += String(format: "  cost %.6f", cost) }
            lines.append(line)
        }
        if let coverage = report.catalogCoverage { catalogLines(coverage, into: &lines) }
        return lines.joined(separator: "\n")
    }

    /// Every catalog function, with what the run planned and kept of it; unused ones say why.
    private func catalogLines(_ coverage: CatalogCoverage, into lines: inout [String]) {
        let used = coverage.functions.count - coverage.unused.count
        lines.append("catalog coverage (\(coverage.catalog)): \(used) of \(coverage.functions.count) functions called")
        let width = min(40, coverage.functions.map(\.name.count).max() ?? 0)
        for entry in coverage.functions {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            var line =
                "  \(name)  kept \(entry.kept) (alone \(entry.keptAlone), composed \(entry.kept - entry.keptAlone))"
                + "  led \(entry.leads)  partnered \(entry.partners)"
            if let reason = entry.unusedBecause { line += "  unused: \(reason)" }
            lines.append(line)
        }
    }

    private func section(_ title: String, _ counts: [RankedCount], into lines: inout [String]) {
        lines.append("\(title):" + (counts.isEmpty ? " none" : ""))
        let largest = max(1, counts.map(\.count).max() ?? 1)
        let width = min(48, counts.map(\.name.count).max() ?? 0)
        for count in counts {
            let bar = String(repeating: "#", count: Int((Double(count.count) / Double(largest) * 30).rounded(.up)))
            let name = count.name.count > width ? String(count.name.prefix(width - 1)) + "…" : count.name
            lines.append(
                "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(count.count).leftPadded(6))  \(bar)"
            )
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
