import FcsynthPipeline
import Foundation

/// A run's spend against its budget, in words, for `status` and `budget`.
struct BudgetText {
    var spend: SpendStatus

    var budget: RunBudget { spend.budget }

    /// `spent 0.0123 of 0.0500; tokens 41200 of 100000`, with what the budget does now.
    var summary: String {
        var parts: [String] = []
        if let cost = spend.cost {
            parts.append("spent " + Self.amount(cost) + (budget.maxCost.map { " of " + Self.amount($0) } ?? ""))
        }
        parts.append("tokens \(spend.chargedTokens)" + (budget.tokens.map { " of \($0)" } ?? ""))
        if spend.estimatedShare > 0 {
            parts.append(String(format: "%.0f%% of the tokens estimated", spend.estimatedShare * 100))
        }
        var text = parts.joined(separator: "; ")
        if budget.maxCost == nil && budget.tokens == nil {
            text += "  (no budget)"
        } else if spend.budgetReached {
            text += "  budget reached: no new item starts, the items started finish"
        }
        return text
    }

    static func amount(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
