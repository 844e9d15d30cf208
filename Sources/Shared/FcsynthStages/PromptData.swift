import FcsynthCore

/// How prompts carry data: as one JSON object in a ```json fence at the end of a message.
/// Models read it unambiguously, nothing in it can be mistaken for an instruction, and the
/// simulated LLM finds it by looking for the last fence.
package enum PromptData {
    package static let fenceOpen = "```json\n"
    package static let fenceClose = "\n```"

    package static func block(_ fields: [String: JSONValue]) -> String {
        fenceOpen + serialize(.object(fields)) + fenceClose
    }

    /// Compact JSON with sorted keys, the same bytes for the same data, written by hand as
    /// the export does (`JSONEncoder` costs tens of microseconds per value). Values hold no
    /// infinite numbers: they come from parsed JSON or the schema instance generator.
    package static func serialize(_ value: JSONValue) -> String {
        var text = JSONBytes(capacity: 512)
        do {
            try text.value(value)
        } catch {
            return "null"
        }
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// The data of the last fenced block in `text`, if there is one and it parses: after the
    /// last opening fence, up to the first closing fence after it. Searched in the UTF-8 bytes,
    /// since the simulated LLM reads a block of every prompt it answers.
    package static func lastBlock(in text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { bytes in
            guard let open = bytes.lastOffset(of: fenceOpen) else { return nil }
            let start = open + fenceOpen.utf8.count
            guard let close = bytes.firstOffset(of: fenceClose, from: start) else { return nil }
            return JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<close]))
        }
    }
}

extension JSONValue {
    package init(strings: [String]) {
        self = .array(strings.map(JSONValue.string))
    }
}
