/// How a format lays out what a trainer reads; the defaults are what trains a model the way it
/// will be called: the tool list once, in `tools`, where chat templates place it.
public struct ExportStyle: Codable, Sendable, Hashable {
    /// Keep the tool list in the system prompt as well (`openai`, `sharegpt`): the form before
    /// the tools went to `tools` alone. Trainers whose template also renders `tools` then see
    /// the list twice.
    public var systemPromptTools = false
    /// `sharegpt`: the assistant's thought beside its calls goes into the function_call value,
    /// before a `<tool_call>` block holding the calls, the form LLaMA-Factory's
    /// `FunctionFormatter` reads under templates with the default tool-call words.
    public var shareGPTThought = false
    /// `sharegpt`: how one observation holds the results of parallel calls.
    public var shareGPTResults = ShareGPTResultJoin.list

    public init() {}

    public static let standard = ExportStyle()

    package enum CodingKeys: String, CodingKey {
        case systemPromptTools = "system_prompt_tools"
        case shareGPTThought = "sharegpt_thought"
        case shareGPTResults = "sharegpt_results"
    }
}
