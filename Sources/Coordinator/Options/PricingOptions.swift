import ArgumentParser
import FcsynthPipeline

/// The endpoint's prices per million tokens: a cost figure in `status` and `estimate`, and,
/// given to `enqueue`, stored with the run (at its `--service-tier`), so that every worker
/// charges its calls to the run's spend and `--max-cost` can hold it.
struct PricingOptions: ParsableArguments {
    @Option(help: "Price per million prompt tokens, for a cost figure.")
    var pricePromptPerMillion: Double?

    @Option(help: "Price per million completion tokens, for a cost figure.")
    var priceCompletionPerMillion: Double?

    @Option(
        help:
            "Price per million prompt tokens the endpoint served from its cache (usage.prompt_tokens_details.cached_tokens); default: the prompt price."
    )
    var priceCachedPerMillion: Double?

    func validate() throws {
        for (name, price) in [
            ("--price-prompt-per-million", pricePromptPerMillion),
            ("--price-completion-per-million", priceCompletionPerMillion),
            ("--price-cached-per-million", priceCachedPerMillion),
        ] {
            // The upper bound keeps a call's cost in billionths within 64-bit integers.
            if let price, !(price >= 0 && price <= 1e6) {
                throw ValidationError("\(name) must be a price of 0 or more, up to 1000000, not \(price)")
            }
        }
    }

    /// Nil when none is given; one alone prices the other kind at 0.
    var prices: RunEstimate.Prices? {
        guard pricePromptPerMillion != nil || priceCompletionPerMillion != nil || priceCachedPerMillion != nil else {
            return nil
        }
        return RunEstimate.Prices(
            prompt: pricePromptPerMillion ?? 0, completion: priceCompletionPerMillion ?? 0,
            cached: priceCachedPerMillion)
    }
}
