import Foundation

/// Renders a dialogue held as turns, as seed logs often come, into the glaive-style text the
/// scenario prompt reads (`USER:`, `ASSISTANT:`, `FUNCTION RESPONSE:` blocks): OpenAI-style
/// `messages` (`role`, `content`, `tool_calls`) or ShareGPT `conversations` (`from`, `value`),
/// told apart per row by the keys of the turns.
package enum SeedTranscript {
    /// The rendered text, or why the turns cannot be read, naming the field and the turn.
    package static func render(_ turns: [Any], field: String) -> Result<String, SeedTranscriptError> {
        guard !turns.isEmpty else { return .failure(SeedTranscriptError("\"\(field)\" is an empty list")) }
        var blocks: [String] = []
        for (index, element) in turns.enumerated() {
            let turn = "\"\(field)\" turn \(index + 1)"
            guard let object = element as? [String: Any] else {
                return .failure(SeedTranscriptError("\(turn) is not an object"))
            }
            let block: Result<String?, SeedTranscriptError> =
                if let role = object["role"] {
                    openAI(role: role, object, turn: turn)
                } else if let from = object["from"] {
                    shareGPT(from: from, object, turn: turn)
                } else {
                    .failure(
                        SeedTranscriptError("\(turn) has neither \"role\" (messages) nor \"from\" (conversations)"))
                }
            switch block {
            case .success(let text?): blocks.append(text)
            case .success(nil): continue
            case .failure(let error): return .failure(error)
            }
        }
        return .success(blocks.joined(separator: "\n\n\n"))
    }

    private static func openAI(
        role: Any, _ turn: [String: Any], turn name: String
    ) -> Result<String?, SeedTranscriptError> {
        guard let role = role as? String else {
            return .failure(SeedTranscriptError("\(name): \"role\" is not a string"))
        }
        let text = Self.text(turn["content"])
        switch role {
        case "system", "developer":
            return .success(text.isEmpty ? nil : "SYSTEM: " + text)
        case "user":
            return .success("USER: " + text)
        case "assistant":
            let calls = (turn["tool_calls"] as? [Any] ?? []).compactMap { call -> String? in
                guard let function = (call as? [String: Any])?["function"] as? [String: Any] else { return nil }
                return functionCall(name: function["name"], arguments: function["arguments"])
            }
            let parts = (text.isEmpty ? [] : [text]) + calls
            guard !parts.isEmpty else { return .success(nil) }
            return .success("ASSISTANT: " + parts.joined(separator: "\n"))
        case "tool", "function":
            return .success("FUNCTION RESPONSE: " + text)
        default:
            return .failure(
                SeedTranscriptError("\(name) has the role \"\(role)\", not system, user, assistant or tool"))
        }
    }

    private static func shareGPT(
        from: Any, _ turn: [String: Any], turn name: String
    ) -> Result<String?, SeedTranscriptError> {
        guard let from = from as? String else {
            return .failure(SeedTranscriptError("\(name): \"from\" is not a string"))
        }
        let text = Self.text(turn["value"])
        switch from {
        case "system": return .success(text.isEmpty ? nil : "SYSTEM: " + text)
        case "human", "user": return .success("USER: " + text)
        case "gpt", "assistant": return .success("ASSISTANT: " + text)
        case "function_call": return .success("ASSISTANT: <functioncall> " + text)
        case "observation", "tool", "function": return .success("FUNCTION RESPONSE: " + text)
        default:
            return .failure(
                SeedTranscriptError(
                    "\(name) is from \"\(from)\", not human, gpt, function_call, observation or system"))
        }
    }

    /// Content as text: a string, the text parts of a list of parts, or JSON for anything else.
    private static func text(_ content: Any?) -> String {
        switch content {
        case nil, is NSNull: return ""
        case let text as String: return text
        case let parts as [Any]:
            return parts.compactMap { part in
                (part as? String) ?? ((part as? [String: Any])?["text"] as? String)
            }.joined(separator: "\n")
        case let other?: return json(other)
        }
    }

    private static func functionCall(name: Any?, arguments: Any?) -> String {
        let argumentText = (arguments as? String) ?? arguments.map(json) ?? "{}"
        return "<functioncall> " + json(["name": name as? String ?? "", "arguments": argumentText])
    }

    private static func json(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value) || value is String || value is NSNumber,
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
