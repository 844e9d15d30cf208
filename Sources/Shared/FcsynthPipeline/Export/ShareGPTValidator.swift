import FcsynthCore
import Foundation

/// Checks a ShareGPT line the way LLaMA-Factory reads it: the turn order its converter demands,
/// and the JSON its function and tool formatters parse. Independent of `ShareGPTFormatter`, so
/// that it can judge the formatter's output.
public enum ShareGPTValidator {
    public static func validate(_ line: [UInt8]) throws(ShareGPTViolation) {
        guard let document = try? JSONCoding.decode(JSONValue.self, from: Data(line)), let root = document.objectValue
        else {
            throw ShareGPTViolation("the line is not a JSON object")
        }
        guard let turns = root["conversations"]?.arrayValue, !turns.isEmpty else {
            throw ShareGPTViolation("conversations is missing or empty")
        }
        for (index, turn) in turns.enumerated() {
            guard let tag = turn["from"]?.stringValue, let role = ShareGPTRole(rawValue: tag) else {
                throw ShareGPTViolation("turn \(index + 1) has no known from tag")
            }
            guard let value = turn["value"]?.stringValue else {
                throw ShareGPTViolation("turn \(index + 1) has no string value")
            }
            guard ShareGPTRole.isAllowed(role, at: index) else {
                throw ShareGPTViolation("turn \(index + 1) is \(tag), which breaks the human/gpt alternation")
            }
            if role == .functionCall {
                try validateCalls(value, turn: index + 1)
            }
        }
        guard turns.count % 2 == 0 else {
            throw ShareGPTViolation("the conversation has an odd number of turns")
        }
        if let system = root["system"], system.stringValue == nil {
            throw ShareGPTViolation("system is not a string")
        }
        if let tools = root["tools"] {
            try validateTools(tools)
        }
    }

    /// A function_call value is `{"name", "arguments"}` or a non-empty list of them, alone or,
    /// after a thought, between the first `<tool_call>` and the `</tool_call>` after it (where
    /// LLaMA-Factory's `FunctionFormatter` looks first).
    private static func validateCalls(_ value: String, turn: Int) throws(ShareGPTViolation) {
        var json = Substring(value)
        if let open = value.range(of: "<tool_call>") {
            guard let close = value.range(of: "</tool_call>", range: open.upperBound..<value.endIndex) else {
                throw ShareGPTViolation("function_call turn \(turn) opens <tool_call> but does not close it")
            }
            json = value[open.upperBound..<close.lowerBound]
        }
        guard let calls = try? JSONCoding.decode(JSONValue.self, from: String(json)) else {
            throw ShareGPTViolation("function_call turn \(turn) is not JSON")
        }
        let list = calls.arrayValue ?? [calls]
        guard !list.isEmpty else { throw ShareGPTViolation("function_call turn \(turn) is an empty list") }
        for call in list {
            guard call["name"]?.stringValue != nil, call["arguments"]?.objectValue != nil else {
                throw ShareGPTViolation(
                    "function_call turn \(turn) holds a call without a name and an arguments object")
            }
        }
    }

    /// `tools` is a string holding a JSON list of functions, each with a name and parameters.
    private static func validateTools(_ tools: JSONValue) throws(ShareGPTViolation) {
        guard let text = tools.stringValue, let list = (try? JSONCoding.decode(JSONValue.self, from: text))?.arrayValue
        else {
            throw ShareGPTViolation("tools is not a string holding a JSON list")
        }
        for tool in list {
            guard tool["name"]?.stringValue != nil, tool["parameters"]?.objectValue != nil else {
                throw ShareGPTViolation("a tool lacks a name or a parameters object")
            }
        }
    }
}
