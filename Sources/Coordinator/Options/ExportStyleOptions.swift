import ArgumentParser
import FcsynthPipeline

/// How the openai and sharegpt lines are laid out (`ExportStyle`).
struct ExportStyleOptions: ParsableArguments {
    @Flag(
        help:
            "openai, sharegpt: keep the tool list in the system prompt too, as before it went to tools alone (trainers that render tools then see it twice)."
    )
    var systemPromptTools = false

    @Flag(
        help:
            "sharegpt: keep the assistant's thought (the plan) in each function_call value, before a <tool_call> block with the calls, as LLaMA-Factory's FunctionFormatter reads it."
    )
    var sharegptThought = false

    @Option(
        help:
            "sharegpt: how one observation holds the results of parallel calls: list (a JSON list, the same under every template) or tool-response (joined by </tool_response><tool_response> lines, as Qwen- and Hermes-style templates render separate tool messages)."
    )
    var sharegptResults: ShareGPTResultJoin = .list

    var style: ExportStyle {
        var style = ExportStyle()
        style.systemPromptTools = systemPromptTools
        style.shareGPTThought = sharegptThought
        style.shareGPTResults = sharegptResults
        return style
    }
}
