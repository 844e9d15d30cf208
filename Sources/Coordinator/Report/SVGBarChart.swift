import FcsynthPipeline
import Foundation

/// A horizontal bar chart as inline SVG: one labelled bar (`rect class="mark"`, its count in
/// `data-count`) per entry, scaled to the largest. The browser test counts the marks.
struct SVGBarChart {
    var name: String
    var title: String
    var bars: [RankedCount]
    var color = "#3b6ea8"

    private let labelWidth = 300.0
    private let barWidth = 420.0
    private let rowHeight = 22.0

    func render() -> String {
        let height = Double(bars.count) * rowHeight + 8
        let largest = Double(max(1, bars.map(\.count).max() ?? 1))
        var svg =
            "<svg class=\"chart\" data-chart=\"\(HTMLText.escape(name))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "width=\"\(Int(labelWidth + barWidth + 70))\" height=\"\(Int(height))\" role=\"img\" "
            + "aria-label=\"\(HTMLText.escape(title))\">"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight + 4
            // A count above zero shows at least a sliver, so that no bar that counts vanishes.
            let width = bar.count == 0 ? 0 : max(2, Double(bar.count) / largest * barWidth)
            // About what fits the label column at 12 px; the whole name is the label's tooltip.
            let label = bar.name.count > 44 ? String(bar.name.prefix(43)) + "…" : bar.name
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Self.number(y + 15))\" text-anchor=\"end\">"
            svg += "<title>\(HTMLText.escape(bar.name))</title>\(HTMLText.escape(label))</text>"
            svg += "<rect class=\"mark\" data-count=\"\(bar.count)\" x=\"\(Int(labelWidth))\" y=\"\(Self.number(y))\" "
            svg += "width=\"\(Self.number(width))\" height=\"\(Self.number(rowHeight - 6))\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(Self.number(labelWidth + width + 6))\" y=\"\(Self.number(y + 15))\">\(bar.count)</text>"
        }
        return svg + "</svg>"
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
