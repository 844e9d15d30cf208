import ArgumentParser
import FcsynthPipeline

/// The endpoint's prices, for a cost figure in `status` and `estimate`.
struct PricingOptions: ParsableArguments {
    @Option(help: "Price per million prompt tokens, for a cost figure.")
    var pricePromptPerMillion: Double?

    @Option(help: "Price per million completion tokens, for a cost figure.")
    var priceCompletionPerMillion: Double?

    /// Nil when neither is given; one alone prices the other kind at 0.
    var prices: RunEstimate.Prices? {
        guard pricePromptPerMillion != nil || priceCompletionPerMillion != nil else { return nil }
        return RunEstimate.Prices(prompt: pricePromptPerMillion ?? 0, completion: priceCompletionPerMillion ?? 0)
    }
}
