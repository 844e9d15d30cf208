import Foundation

@testable import FcsynthCore

/// What a line of an OpenAI fine-tuning file must hold for the tool-calling format: a system
/// message first, each tool call answered by one tool message right after its assistant turn,
/// calls naming listed tools with JSON-object arguments, and a final answer last.
enum OpenAILineCheck {
    static func problems(in line: [UInt8]) -> [String] {
        guard let root = try? JSONCoding.decode(JSONValue.self, from: Data(line)).objectValue,
            let messages = root["messages"]?.arrayValue, !messages.isEmpty
        else {
            return ["not an object with a messages array"]
        }
        let toolNames = Set((root["tools"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue })
        var problems: [String] = []
        if messages.first?["role"]?.stringValue != "system" {
            problems.append("the first message is not the system message")
        }
        var unanswered: Set<String> = []
        for (index, message) in messages.enumerated() {
            let role = message["role"]?.stringValue ?? ""
            if role != "tool" && !unanswered.isEmpty {
                problems.append("message \(index): calls \(unanswered.sorted()) not answered before it")
            }
            switch role {
            case "system", "user":
                if (message["content"]?.stringValue ?? "").isEmpty {
                    problems.append("message \(index): \(role) without content")
                }
            case "assistant":
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    guard let id = call["id"]?.stringValue, call["type"]?.stringValue == "function",
                        let name = call["function"]?["name"]?.stringValue,
                        let arguments = call["function"]?["arguments"]?.stringValue
                    else {
                        problems.append("message \(index): a malformed tool call")
                        continue
                    }
                    if !toolNames.contains(name) {
                        problems.append("message \(index): calls \(name), which tools does not list")
                    }
                    if (try? JSONCoding.decode(JSONValue.self, from: Data(arguments.utf8)).objectValue) == nil {
                        problems.append("message \(index): arguments of \(name) are not a JSON object")
                    }
                    unanswered.insert(id)
                }
            case "tool":
                guard let id = message["tool_call_id"]?.stringValue, unanswered.remove(id) != nil else {
                    problems.append("message \(index): a tool message that answers no pending call")
                    continue
                }
            default:
                problems.append("message \(index): unknown role \(role)")
            }
        }
        let last = messages.last
        if last?["role"]?.stringValue != "assistant" || last?["tool_calls"] != nil
            || (last?["content"]?.stringValue ?? "").isEmpty
        {
            problems.append("the last message is not a final answer")
        }
        return problems
    }
}
