import FcsynthCore

/// LLaMA-Factory's ShareGPT layout for function calling:
/// `{"conversations": [{"from", "value"}, ...], "system": "...", "tools": "[...]"}`, to be
/// registered with `"formatting": "sharegpt"` and columns `messages: conversations`,
/// `system: system`, `tools: tools`; the `from` values are LLaMA-Factory's default tags.
///
/// The rules come from LLaMA-Factory's `data/README.md`, its `SharegptDatasetConverter`, and its
/// `FunctionFormatter` and `ToolFormatter`:
/// - turns alternate strictly: human or observation at even indices, gpt or function_call at odd
///   ones, and their number is even (`ShareGPTRole.isAllowed`); LLaMA-Factory silently skips any
///   other example, so a record that cannot be laid out this way throws instead;
/// - a function_call value is the JSON text of `{"name", "arguments"}` with `arguments` a JSON
///   object (not a string), and of a list of those when the turn calls several tools at once;
/// - the results of one turn become one observation: the result's text when there is one; for
///   several, in call order, a JSON list of them (a result that is not JSON goes in as a
///   string), or with `ShareGPTResultJoin.toolResponse` their texts joined the way
///   LLaMA-Factory's OpenAI converter joins tool messages. The list is the default: it reads the
///   same under every chat template, while the join renders right only under templates whose
///   observation slot is one `<tool_response>` block (Qwen, Hermes-style);
/// - `tools` is a string holding the JSON list of `{"name", "description", "parameters"}`;
/// - `system` is the record's leading system message without its tool list (the template adds
///   `tools` to the system text itself), or "" so that the template's default applies; a system
///   message anywhere else cannot be expressed.
///
/// The assistant's thought beside its tool calls (BUTTON's plan) is dropped by default: a plain
/// function_call value must parse as JSON, and a gpt turn cannot precede it (two response turns
/// in a row). With `ExportStyle.shareGPTThought` it is kept as the text before a
/// `<tool_call>…</tool_call>` block holding the calls' JSON: LLaMA-Factory's `FunctionFormatter`
/// takes the block's content as the calls and keeps the text before it, so that the template
/// renders the thought, then the calls in its own tool-call syntax.
public struct ShareGPTFormatter: ConversationFormatter {
    public var style: ExportStyle

    public init(style: ExportStyle = .standard) {
        self.style = style
    }

    /// The words around the calls in a function_call value that keeps the thought: the
    /// `tool_call_words` LLaMA-Factory's templates use unless they name others.
    public static let toolCallWords = (open: "<tool_call>", close: "</tool_call>")

    public func line(for record: ConversationRecord) throws -> [UInt8] {
        try formatting(record, as: .sharegpt) { () throws(ExportFailure) in
            var messages = record.messages[...]
            var system = ""
            if let first = messages.first, first.role == .system {
                system = style.systemText(first.content ?? "")
                messages = messages.dropFirst()
            }

            var turns = Turns(style: style)
            try turns.append(contentsOf: messages)
            guard let last = turns.lastRole else { throw ExportFailure("the conversation has no turns") }
            guard turns.count % 2 == 0 else {
                throw ExportFailure("the conversation ends on a \(last.rawValue) turn, not a gpt or function_call turn")
            }

            var out = turns.out
            out.raw(#"],"system":"#)
            out.string(system)
            out.raw(#","tools":"#)
            out.string(utf8: try Self.toolList(record.tools).bytes)
            out.raw("}")
            return out.bytes
        }
    }

    private static func toolList(_ tools: [ToolDefinition]) throws(ExportFailure) -> JSONBytes {
        var list = JSONBytes()
        list.byte(UInt8(ascii: "["))
        for (index, tool) in tools.enumerated() {
            if index > 0 { list.byte(UInt8(ascii: ",")) }
            list.raw(#"{"name":"#)
            list.string(tool.function.name)
            list.raw(#","description":"#)
            list.string(tool.function.description)
            list.raw(#","parameters":"#)
            try list.exported(tool.function.parameters)
            list.byte(UInt8(ascii: "}"))
        }
        list.byte(UInt8(ascii: "]"))
        return list
    }
}

/// The line up to its last turn, checked against the role order as each turn comes.
private struct Turns {
    let style: ExportStyle
    private(set) var out: JSONBytes
    private(set) var count = 0
    private(set) var lastRole: ShareGPTRole?

    init(style: ExportStyle) {
        self.style = style
        out = JSONBytes()
        out.raw(#"{"conversations":["#)
    }

    mutating func append(contentsOf messages: ArraySlice<OutputMessage>) throws(ExportFailure) {
        var index = messages.startIndex
        while index < messages.endIndex {
            let message = messages[index]
            switch message.role {
            case .system:
                throw ExportFailure("a system message comes after the first message")
            case .user:
                guard let content = message.content else { throw ExportFailure("a user message has no content") }
                try append(.human) { $0.string(content) }
                index += 1
            case .assistant where !(message.toolCalls ?? []).isEmpty:
                let turn = try ToolTurn(messages: messages, at: index)
                let calls = Self.callValue(turn.calls)
                let style = style
                if style.shareGPTThought, let thought = turn.thought,
                    thought.contains(ShareGPTFormatter.toolCallWords.open)
                        || thought.contains(ShareGPTFormatter.toolCallWords.close)
                {
                    // LLaMA-Factory would take the thought's own tag for the calls' block.
                    throw ExportFailure("a thought holds a <tool_call> tag, which --sharegpt-thought cannot keep apart")
                }
                try append(.functionCall) { out in
                    if style.shareGPTThought, let thought = turn.thought {
                        out.string(utf8: Self.thoughtValue(thought, calls: calls).bytes)
                    } else {
                        out.string(utf8: calls.bytes)
                    }
                }
                try append(.observation) { out in
                    if turn.results.count == 1 {
                        out.string(turn.results[0].content ?? "")
                    } else if style.shareGPTResults == .toolResponse {
                        out.string(
                            turn.results.map { $0.content ?? "" }.joined(
                                separator: ShareGPTResultJoin.toolResponseSeparator))
                    } else {
                        out.string(utf8: Self.resultList(turn.results).bytes)
                    }
                }
                index = turn.end
            case .assistant:
                guard let content = message.content, !content.isEmpty else {
                    throw ExportFailure("an assistant message has neither content nor tool calls")
                }
                try append(.gpt) { $0.string(content) }
                index += 1
            case .tool:
                throw ExportFailure("a tool message answers \(message.toolCallId ?? "no id") but follows no tool call")
            }
        }
    }

    private mutating func append(_ role: ShareGPTRole, value: (inout JSONBytes) -> Void) throws(ExportFailure) {
        guard ShareGPTRole.isAllowed(role, at: count) else {
            throw ExportFailure(
                "turn \(count + 1) would be \(role.rawValue) after \(lastRole?.rawValue ?? "nothing"), which breaks the human/gpt alternation"
            )
        }
        if count > 0 { out.byte(UInt8(ascii: ",")) }
        out.raw(#"{"from":""#)
        out.rawText(role.rawValue)
        out.raw(#"","value":"#)
        value(&out)
        out.byte(UInt8(ascii: "}"))
        count += 1
        lastRole = role
    }

    /// `{"name", "arguments"}`, or a list of them for parallel calls.
    private static func callValue(_ calls: [ToolCall]) -> JSONBytes {
        var value = JSONBytes(capacity: 256)
        if calls.count > 1 { value.byte(UInt8(ascii: "[")) }
        for (index, call) in calls.enumerated() {
            if index > 0 { value.byte(UInt8(ascii: ",")) }
            value.raw(#"{"name":"#)
            value.string(call.function.name)
            value.raw(#","arguments":"#)
            var arguments = call.function.arguments
            arguments.withUTF8 { value.raw(JSONSyntax.trimmed($0)) }
            value.byte(UInt8(ascii: "}"))
        }
        if calls.count > 1 { value.byte(UInt8(ascii: "]")) }
        return value
    }

    /// The thought, then the calls in the block LLaMA-Factory's default tool-call words delimit.
    private static func thoughtValue(_ thought: String, calls: JSONBytes) -> JSONBytes {
        var value = JSONBytes(capacity: thought.utf8.count + calls.bytes.count + 32)
        value.rawText(thought + "\n" + ShareGPTFormatter.toolCallWords.open)
        calls.bytes.withUnsafeBufferPointer { value.raw($0) }
        value.rawText(ShareGPTFormatter.toolCallWords.close)
        return value
    }

    /// The results of parallel calls as one JSON list.
    private static func resultList(_ results: [OutputMessage]) -> JSONBytes {
        var value = JSONBytes(capacity: 512)
        value.byte(UInt8(ascii: "["))
        for (index, result) in results.enumerated() {
            if index > 0 { value.byte(UInt8(ascii: ",")) }
            var content = result.content ?? ""
            content.withUTF8 { text in
                if JSONSyntax.kind(of: text) != nil {
                    value.raw(JSONSyntax.trimmed(text))
                } else {
                    value.string(utf8: text)
                }
            }
        }
        value.byte(UInt8(ascii: "]"))
        return value
    }
}
