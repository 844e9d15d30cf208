import ArgumentParser

/// `--llm-mode`: how the run's calls reach the endpoint.
enum LLMModeOption: String, ExpressibleByArgument, CaseIterable {
    /// One HTTP call each, answered in seconds.
    case online
    /// Through the provider's Batch API, at the batch price, one round of each chain per batch.
    case batch
}
