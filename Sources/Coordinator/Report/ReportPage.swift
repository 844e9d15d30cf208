import FcsynthPipeline
import Foundation

/// A run's dataset report as one self-contained HTML page: inline CSS and SVG, no script, no
/// image or font to fetch; its Content-Security-Policy forbids anything else, so a page that
/// tried would say so in the browser's console. Figures with nothing to show get a line of
/// text instead of a chart.
struct ReportPage {
    var report: DatasetReport

    /// Every chart the page can hold, by `data-chart` name, with its bars: the browser test
    /// holds the page to the same list.
    var charts: [SVGBarChart] {
        var charts = [
            SVGBarChart(name: "outcomes", title: "Items by outcome", bars: report.outcomes),
            SVGBarChart(name: "filter_reasons", title: "Filter reasons", bars: report.filterReasons, color: "#b5651d"),
            SVGBarChart(name: "dead_reasons", title: "Dead reasons", bars: report.deadReasons, color: "#a83232"),
        ]
        for criterion in report.judgeScores.keys.sorted() {
            charts.append(
                SVGBarChart(
                    name: "judge_\(criterion)", title: "Judge scores: \(criterion)",
                    bars: report.judgeScores[criterion] ?? [],
                    color: "#5a8f3c"))
        }
        charts += [
            SVGBarChart(
                name: "rule_violations", title: "Rule violations by check", bars: report.ruleViolations,
                color: "#a83232"),
            SVGBarChart(name: "calls", title: "Tool calls per conversation", bars: report.callsPerConversation),
            SVGBarChart(name: "rounds", title: "Assistant turns per conversation", bars: report.rounds),
            SVGBarChart(
                name: "parallel", title: "Tool-calling turns: parallel and single",
                bars: report.toolTurns == 0
                    ? []
                    : [
                        RankedCount(name: "parallel (2+ calls)", count: report.parallelTurns),
                        RankedCount(name: "single call", count: report.toolTurns - report.parallelTurns),
                    ]),
            SVGBarChart(name: "variants", title: "Variants", bars: report.variants, color: "#6b4fa0"),
            SVGBarChart(name: "functions", title: "Most called functions", bars: report.topFunctionNames),
            SVGBarChart(
                name: "clusters", title: "Largest near-duplicate clusters (repeats of one item)",
                bars: report.nearDuplicateClusters.map {
                    RankedCount(name: $0.task ?? $0.original, count: $0.repeats.count)
                },
                color: "#b5651d"),
            SVGBarChart(
                name: "function_sets", title: "Largest function-set clusters (items with near sets, kept)",
                bars: report.functionSetClusters.map {
                    RankedCount(name: $0.functions?.joined(separator: ", ") ?? $0.original, count: $0.repeats.count)
                },
                color: "#2e7d6b"),
            SVGBarChart(
                name: "tokens", title: "Tokens per kept conversation, by stage",
                bars: report.costPerConversation.map {
                    RankedCount(name: $0.stage, count: Int(($0.promptTokens + $0.completionTokens).rounded()))
                }),
        ]
        return charts
    }

    func render() -> String {
        let title = "fcsynth dataset report: \(report.run)"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:900px;color:#222}
            h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.8em}
            svg text{font:12px system-ui,sans-serif;fill:#222}
            table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}
            .none{color:#777}
            </style></head><body>
            <h1>\(HTMLText.escape(title))</h1>
            <p>\(report.conversations) conversations read from the output stream.</p>

            """
        for chart in charts {
            html += "<section><h2>\(HTMLText.escape(chart.title))</h2>\n"
            html += chart.bars.isEmpty ? "<p class=\"none\">none</p>" : chart.render()
            html += "</section>\n"
        }
        html += "<section><h2>Diversity</h2><table>"
        html += "<tr><th>distinct scenarios</th><td>\(report.distinctScenarios)</td></tr>"
        html += "<tr><th>distinct function names</th><td>\(report.distinctFunctionNames)</td></tr>"
        html += "<tr><th>share of parallel turns</th><td>\(String(format: "%.3f", report.parallelShare))</td></tr>"
        for ngram in report.userNgrams {
            html +=
                "<tr><th>user requests' distinct \(ngram.n)-grams</th><td>\(ngram.distinct) of \(ngram.total) ("
                + String(format: "%.3f", ngram.share) + ")</td></tr>"
        }
        html += "</table></section>\n"
        html += "<section><h2>Cost per kept conversation</h2><table><tr><th>stage</th><th>prompt tokens</th>"
        html += "<th>completion tokens</th><th>cost</th></tr>"
        for stage in report.costPerConversation {
            html +=
                "<tr><td>\(HTMLText.escape(stage.stage))</td><td>\(String(format: "%.1f", stage.promptTokens))</td>"
                + "<td>\(String(format: "%.1f", stage.completionTokens))</td>"
                + "<td>\(stage.cost.map { String(format: "%.6f", $0) } ?? "no prices given")</td></tr>"
        }
        html += "</table></section>\n"
        if !report.nearDuplicateClusters.isEmpty {
            html += "<section><h2>Near-duplicate clusters (\(report.nearDuplicateClusterCount))</h2><table>"
            html += "<tr><th>kept item</th><th>repeats</th><th>with a near scenario</th><th>composition task</th></tr>"
            for cluster in report.nearDuplicateClusters {
                html +=
                    "<tr><td>\(HTMLText.escape(cluster.original))</td><td>\(HTMLText.escape(cluster.repeats.joined(separator: ", ")))</td>"
                    + "<td>\(cluster.scenariosNear) of \(cluster.repeats.count)</td>"
                    + "<td>\(HTMLText.escape(cluster.task ?? ""))</td></tr>"
            }
            html += "</table></section>\n"
        }
        if !report.functionSetClusters.isEmpty {
            html += "<section><h2>Function-set clusters (\(report.functionSetClusterCount), all kept)</h2><table>"
            html += "<tr><th>first item</th><th>items with a near set</th><th>its functions</th></tr>"
            for cluster in report.functionSetClusters {
                html +=
                    "<tr><td>\(HTMLText.escape(cluster.original))</td><td>\(HTMLText.escape(cluster.repeats.joined(separator: ", ")))</td>"
                    + "<td>\(HTMLText.escape(cluster.functions?.joined(separator: ", ") ?? ""))</td></tr>"
            }
            html += "</table></section>\n"
        }
        return html + "</body></html>\n"
    }
}
