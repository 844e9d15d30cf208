/// The model a test's worker talks to.
enum WorkerLLM: Sendable {
    /// The worker's in-process simulated LLM: fast, no network.
    case simulated
    /// An OpenAI-compatible endpoint, here always an `fcsynth simulator` process.
    case http(baseURL: String)

    var arguments: [String] {
        switch self {
        case .simulated: ["--simulate"]
        case .http(let baseURL): ["--llm-url", baseURL, "--model", "simulated"]
        }
    }
}
