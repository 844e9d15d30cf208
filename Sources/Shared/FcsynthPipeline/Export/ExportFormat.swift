/// The layouts fcsynth writes conversations in; the raw values are the command-line names.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
    /// OpenAI's fine-tuning chat format: `{"messages": [...], "tools": [...]}`.
    case openai
    /// LLaMA-Factory's ShareGPT layout with `function_call` and `observation` turns.
    case sharegpt
    /// The whole record, lineage and usage included, for analysis or re-export.
    case raw

    /// `style` shapes the openai and sharegpt lines; raw keeps the record whole.
    public func makeFormatter(style: ExportStyle = .standard) -> any ConversationFormatter {
        switch self {
        case .openai: OpenAIFormatter(style: style)
        case .sharegpt: ShareGPTFormatter(style: style)
        case .raw: RawFormatter()
        }
    }
}
