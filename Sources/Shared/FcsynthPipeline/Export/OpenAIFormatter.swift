import FcsynthCore

/// OpenAI's fine-tuning format for chat examples with tools:
/// `{"messages": [...], "tools": [{"type": "function", "function": {...}}]}`.
///
/// It follows the tool-calling example of OpenAI's fine-tuning guide (as mirrored in Azure
/// OpenAI's "Fine-tuning and tool calling" page) and the chat API's message schema:
/// - an assistant message that calls tools carries `tool_calls`, each
///   `{"id", "type": "function", "function": {"name", "arguments"}}` with `arguments` a JSON
///   string; its `content` is optional ("required unless tool_calls is specified"), so it is
///   omitted when the assistant wrote no thought, and kept when it did;
/// - each result is `{"role": "tool", "tool_call_id", "content"}`, right after its call;
/// - `tools` is left out when there are none, since the API refuses an empty list;
/// - `parallel_tool_calls` is `false` when the run forbade parallel calls (the record's lineage
///   says so), as the fine-tuning format allows, and left out otherwise (the API's default, true).
///
/// The system message is the training prompt without its tool list, which is in `tools`, where
/// the API and chat templates render it; `ExportStyle.systemPromptTools` keeps it in both.
public struct OpenAIFormatter: ConversationFormatter {
    public var style: ExportStyle

    public init(style: ExportStyle = .standard) {
        self.style = style
    }

    public func line(for record: ConversationRecord) throws -> [UInt8] {
        try formatting(record, as: .openai) { () throws(ExportFailure) in
            var out = JSONBytes()
            out.raw(#"{"messages":["#)
            try writeMessages(record.messages[...], to: &out)
            out.raw("]")
            if !record.tools.isEmpty {
                out.raw(#","tools":["#)
                for (index, tool) in record.tools.enumerated() {
                    if index > 0 { out.byte(UInt8(ascii: ",")) }
                    out.raw(#"{"type":"function","function":{"name":"#)
                    out.string(tool.function.name)
                    out.raw(#","description":"#)
                    out.string(tool.function.description)
                    out.raw(#","parameters":"#)
                    try out.exported(tool.function.parameters)
                    out.raw("}}")
                }
                out.raw("]")
            }
            if record.lineage.parallelToolCalls == false {
                out.raw(#","parallel_tool_calls":false"#)
            }
            out.raw("}")
            return out.bytes
        }
    }

    private func writeMessages(_ messages: ArraySlice<OutputMessage>, to out: inout JSONBytes) throws(ExportFailure) {
        var index = messages.startIndex
        while index < messages.endIndex {
            if index > messages.startIndex { out.byte(UInt8(ascii: ",")) }
            let message = messages[index]
            switch message.role {
            case .system, .user:
                guard let content = message.content else {
                    throw ExportFailure("a \(message.role.rawValue) message has no content")
                }
                writeText(role: message.role, message.role == .system ? style.systemText(content) : content, to: &out)
                index += 1
            case .assistant where !(message.toolCalls ?? []).isEmpty:
                let turn = try ToolTurn(messages: messages, at: index)
                writeCalls(turn, to: &out)
                for result in turn.results {
                    out.raw(#",{"role":"tool","tool_call_id":"#)
                    out.string(result.toolCallId ?? "")
                    out.raw(#","content":"#)
                    out.string(result.content ?? "")
                    out.raw("}")
                }
                index = turn.end
            case .assistant:
                guard let content = message.content, !content.isEmpty else {
                    throw ExportFailure("an assistant message has neither content nor tool calls")
                }
                writeText(role: .assistant, content, to: &out)
                index += 1
            case .tool:
                throw ExportFailure("a tool message answers \(message.toolCallId ?? "no id") but follows no tool call")
            }
        }
    }

    private func writeText(role: ChatMessage.Role, _ content: String, to out: inout JSONBytes) {
        out.raw(#"{"role":"#)
        out.string(role.rawValue)
        out.raw(#","content":"#)
        out.string(content)
        out.raw("}")
    }

    private func writeCalls(_ turn: ToolTurn, to out: inout JSONBytes) {
        out.raw(#"{"role":"assistant","#)
        if let thought = turn.thought {
            out.raw(#""content":"#)
            out.string(thought)
            out.byte(UInt8(ascii: ","))
        }
        out.raw(#""tool_calls":["#)
        for (index, call) in turn.calls.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.raw(#"{"id":"#)
            out.string(call.id)
            out.raw(#","type":"function","function":{"name":"#)
            out.string(call.function.name)
            out.raw(#","arguments":"#)
            out.string(call.function.arguments)
            out.raw("}}")
        }
        out.raw("]}")
    }
}
