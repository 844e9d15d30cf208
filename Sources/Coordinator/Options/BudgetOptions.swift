import ArgumentParser
import FcsynthPipeline

/// A run's fleet-wide budget, as `enqueue` first sets it and `fcsynth budget` changes it.
struct BudgetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Stop starting new items once the run's calls cost this much at its stored prices (0: no limit).",
            discussion: "Needs the run's prices (--price-prompt-per-million, --price-completion-per-million)."))
    var maxCost: Double?

    @Option(
        help: "Stop starting new items once the run's calls used this many tokens, prompt and completion (0: no limit)."
    )
    var budgetTokens: Int?

    func validate() throws {
        // The upper bound keeps the limit in billionths within Redis's 64-bit integers.
        if let maxCost, !(maxCost >= 0 && maxCost <= Self.largestCost) {
            throw ValidationError(
                "--max-cost must be an amount of 0 or more, up to \(Int(Self.largestCost)), not \(maxCost)")
        }
        if let budgetTokens, budgetTokens < 0 {
            throw ValidationError("--budget-tokens must be 0 or more, not \(budgetTokens)")
        }
    }

    static let largestCost = 1e9

    /// Nil when neither is given.
    var budget: RunBudget? {
        guard maxCost != nil || budgetTokens != nil else { return nil }
        return RunBudget(maxCost: maxCost, tokens: budgetTokens)
    }
}
