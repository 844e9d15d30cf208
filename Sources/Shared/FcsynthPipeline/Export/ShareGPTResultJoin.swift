/// How a ShareGPT observation holds the results of calls made in one turn.
public enum ShareGPTResultJoin: String, Codable, Sendable, Hashable, CaseIterable {
    /// A JSON list of the results in call order: one value that reads the same under every
    /// chat template.
    case list
    /// The results joined by `</tool_response>` and `<tool_response>` lines, as LLaMA-Factory's
    /// OpenAI converter joins tool messages: under Qwen- and Hermes-style templates, whose
    /// observation slot wraps its text in one `<tool_response>` block, each result then renders
    /// in a block of its own, as the models' own chat templates render separate tool messages.
    /// Under other templates the tags show as text.
    case toolResponse = "tool-response"

    /// The separator between two results, the one LLaMA-Factory's OpenAI converter uses.
    package static let toolResponseSeparator = "\n</tool_response>\n<tool_response>\n"
}
