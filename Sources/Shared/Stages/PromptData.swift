import Foundation

/// How prompts carry data: as one JSON object in a ```json fence at the end of a message.
/// Models read it unambiguously, nothing in it can be mistaken for an instruction, and the
/// simulated LLM finds it by looking for the last fence.
enum PromptData {
    static let fenceOpen = "```json\n"
    static let fenceClose = "\n```"

    static func block(_ fields: [String: JSONValue]) -> String {
        fenceOpen + serialize(.object(fields)) + fenceClose
    }

    /// Compact JSON with sorted keys, the same bytes for the same data.
    static func serialize(_ value: JSONValue) -> String {
        (try? JSONCoding.encodeString(value)) ?? "null"
    }

    /// The data of the last fenced block in `text`, if there is one and it parses.
    static func lastBlock(in text: String) -> JSONValue? {
        guard let open = text.range(of: fenceOpen, options: .backwards) else { return nil }
        let rest = text[open.upperBound...]
        guard let close = rest.range(of: fenceClose) else { return nil }
        return try? JSONCoding.decode(JSONValue.self, from: String(rest[..<close.lowerBound]))
    }
}

extension JSONValue {
    init(strings: [String]) {
        self = .array(strings.map(JSONValue.string))
    }
}
