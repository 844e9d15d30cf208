import FcsynthPipeline

/// Why `fcsynth estimate` has no projection to give.
enum EstimateError: Error, Sendable, Hashable, CustomStringConvertible {
    case noValidRows(file: String)
    /// Every sampled row repeated another in its batch.
    case nothingTaken
    /// The endpoint failed every call, or refused the key, until the workers paused for it;
    /// `faults` counts the failed attempts by kind.
    case endpointFailing(credentials: Bool, faults: [String: Int])
    /// The sample ran and kept nothing; `filtered` and `dead` say why, most frequent first.
    case noConversation(rows: Int, filtered: [RemovalReason], dead: [RemovalReason])

    var description: String {
        switch self {
        case .noValidRows(let file):
            "\(file) has no valid row to sample (fcsynth enqueue names each bad row)"
        case .nothingTaken:
            "the sampled rows all repeat a chat of their batch: nothing ran"
        case .endpointFailing(let credentials, let faults):
            (credentials
                ? "the LLM endpoint refuses the API key (HTTP 401/403): check FCSYNTH_API_KEY (FCSYNTH_JUDGE_API_KEY for a judge of its own)"
                : "the LLM endpoint is not answering: every recent call failed, so the sample stopped; check --llm-url (FCSYNTH_LLM_URL), --judge-llm-url if given, and that the endpoint is up")
                + (faults.isEmpty
                    ? ""
                    : "\nfailed calls: "
                        + faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  "))
        case .noConversation(let rows, let filtered, let dead):
            "the sample of \(rows) rows kept no conversation (yield 0): fix what removed them before paying for the whole file"
                + Self.listing("filtered", filtered) + Self.listing("dead", dead)
        }
    }

    private static func listing(_ title: String, _ reasons: [RemovalReason]) -> String {
        guard !reasons.isEmpty else { return "" }
        return "\n\(title), most frequent first:"
            + reasons.map { "\n  \($0.count) × \($0.kind)\n      e.g. \($0.example)" }.joined()
    }
}
