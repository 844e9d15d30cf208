/// Who speaks a turn of LLaMA-Factory's ShareGPT layout, under its default `from` tags.
public enum ShareGPTRole: String, Sendable, CaseIterable {
    case human
    case gpt
    case functionCall = "function_call"
    case observation

    /// LLaMA-Factory reads a conversation as prompt/response pairs: human or observation turns
    /// at even indices (its "odd positions", counting from one), gpt or function_call turns at
    /// odd ones. Any other order, or an odd number of turns, makes it skip the example.
    public static func isAllowed(_ role: ShareGPTRole, at index: Int) -> Bool {
        switch role {
        case .human, .observation: index % 2 == 0
        case .gpt, .functionCall: index % 2 == 1
        }
    }
}
