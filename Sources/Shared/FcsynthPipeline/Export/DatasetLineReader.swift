import FcsynthCore
import FcsynthVerification
import Foundation

/// Reads one line of a function-calling dataset back into a conversation the checks can
/// read: fcsynth's own `raw`, `openai` and `sharegpt` lines, and the same layouts as other
/// datasets use them (BUTTONInstruct, xLAM, glaive converted to ShareGPT). The inverse of the
/// formatters, with the plan only where the line carries it (raw).
public enum DatasetLineReader {
    public struct Parsed: Sendable {
        public var format: ExportFormat
        public var conversation: VerifiableConversation
        /// The whole record, for raw lines: the form checks need its functions' `responses`.
        public var record: ConversationRecord?
    }

    public static func read(_ bytes: [UInt8]) throws(DatasetLineError) -> Parsed {
        guard let value = JSONParser.parse(bytes), let object = value.objectValue else {
            throw DatasetLineError("not a JSON object")
        }
        if object["lineage"] != nil {
            do {
                let record = try JSONCoding.decode(ConversationRecord.self, from: bytes)
                return Parsed(format: .raw, conversation: VerifiableConversation(record), record: record)
            } catch {
                throw DatasetLineError("a raw record that does not decode: \(error)")
            }
        }
        if let messages = object["messages"]?.arrayValue {
            return Parsed(
                format: .openai, conversation: try openAI(messages: messages, tools: object["tools"]), record: nil)
        }
        if let turns = object["conversations"]?.arrayValue {
            return Parsed(
                format: .sharegpt,
                conversation: try shareGPT(
                    turns, system: object["system"]?.stringValue,
                    tools: object["tools"]), record: nil)
        }
        throw DatasetLineError("neither raw (lineage), openai (messages) nor sharegpt (conversations)")
    }

    private static func openAI(
        messages: [JSONValue], tools: JSONValue?
    ) throws(DatasetLineError) -> VerifiableConversation {
        var output: [OutputMessage] = []
        for (index, message) in messages.enumerated() {
            do {
                output.append(try JSONCoding.decode(OutputMessage.self, from: try JSONCoding.encode(message)))
            } catch {
                throw DatasetLineError("message \(index + 1) is not a chat message: \(error)")
            }
        }
        return VerifiableConversation(messages: output, functions: try functions(tools))
    }

    /// ShareGPT turns, with calls given ids in order so that results pair with them as they do
    /// in LLaMA-Factory's templates: by position.
    private static func shareGPT(
        _ turns: [JSONValue], system: String?, tools: JSONValue?
    ) throws(DatasetLineError) -> VerifiableConversation {
        var messages: [OutputMessage] = []
        if let system, !system.isEmpty { messages.append(OutputMessage(role: .system, content: system)) }
        var pending: [String] = []
        var nextId = 0
        for (index, turn) in turns.enumerated() {
            guard let from = turn["from"]?.stringValue, let text = turn["value"]?.stringValue else {
                throw DatasetLineError("turn \(index + 1) lacks \"from\" or \"value\"")
            }
            switch from {
            case "system":
                messages.append(OutputMessage(role: .system, content: text))
            case "human", "user":
                messages.append(OutputMessage(role: .user, content: text))
            case "gpt", "assistant":
                messages.append(OutputMessage(role: .assistant, content: text))
            case "function_call":
                let (thought, json) = Self.splitThought(text)
                guard let parsed = JSONParser.parse(json) else {
                    throw DatasetLineError("turn \(index + 1): a function_call that is not JSON")
                }
                var calls: [ToolCall] = []
                for call in parsed.arrayValue ?? [parsed] {
                    guard let name = call["name"]?.stringValue else {
                        throw DatasetLineError("turn \(index + 1): a call with no name")
                    }
                    let arguments = call["arguments"].map(Self.argumentsText) ?? "{}"
                    nextId += 1
                    calls.append(ToolCall(id: "call_\(nextId)", name: name, arguments: arguments))
                }
                pending = calls.map(\.id)
                messages.append(OutputMessage(role: .assistant, content: thought, toolCalls: calls))
            case "observation", "tool":
                let results = pending.count > 1 ? Self.results(of: text) : [.string(text)]
                for (position, id) in pending.enumerated() {
                    let result = position < results.count ? results[position] : .string("")
                    let content = result.stringValue ?? (try? JSONCoding.encodeString(result)) ?? ""
                    messages.append(OutputMessage(role: .tool, content: content, toolCallId: id))
                }
                pending = []
            default:
                throw DatasetLineError("turn \(index + 1) is from \"\(from)\", which ShareGPT does not use")
            }
        }
        return VerifiableConversation(messages: messages, functions: try functions(tools))
    }

    /// A function_call value that keeps the thought (`ShareGPTFormatter.toolCallWords`): the text
    /// before the block, and the block's content; a plain value is all calls.
    private static func splitThought(_ text: String) -> (thought: String?, calls: String) {
        let words = ShareGPTFormatter.toolCallWords
        guard let open = text.range(of: words.open),
            let close = text.range(of: words.close, range: open.upperBound..<text.endIndex)
        else { return (nil, text) }
        let before = text[..<open.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return (before.isEmpty ? nil : before, String(text[open.upperBound..<close.lowerBound]))
    }

    /// The results of parallel calls: a JSON list, or texts joined by `</tool_response>` lines.
    private static func results(of text: String) -> [JSONValue] {
        if let list = JSONParser.parse(text)?.arrayValue { return list }
        let parts = text.components(separatedBy: ShareGPTResultJoin.toolResponseSeparator)
        return parts.map { JSONValue.string($0) }
    }

    /// `arguments` as the JSON text OpenAI's format holds: an object is written out, a string kept.
    private static func argumentsText(_ arguments: JSONValue) -> String {
        arguments.stringValue ?? (try? JSONCoding.encodeString(arguments)) ?? "{}"
    }

    /// OpenAI `tools` objects, or ShareGPT's tool list, itself a JSON string or an array.
    private static func functions(_ tools: JSONValue?) throws(DatasetLineError) -> [FunctionDefinition] {
        guard var tools else { return [] }
        if let text = tools.stringValue {
            guard let parsed = JSONParser.parse(text) else {
                throw DatasetLineError("\"tools\" is a string that is not JSON")
            }
            tools = parsed
        }
        guard let list = tools.arrayValue else { throw DatasetLineError("\"tools\" is not a list") }
        return list.compactMap { entry in
            let function = entry["function"] ?? entry
            guard let name = function["name"]?.stringValue else { return nil }
            return FunctionDefinition(
                name: name, description: function["description"]?.stringValue ?? "",
                parameters: function["parameters"] ?? .object([:]), responses: .object([:]))
        }
    }
}
