/// How prompts carry data: as one JSON object in a ```json fence at the end of a message.
/// Models read it unambiguously, nothing in it can be mistaken for an instruction, and the
/// simulated LLM finds it by looking for the last fence.
enum PromptData {
    static let fenceOpen = "```json\n"
    static let fenceClose = "\n```"

    static func block(_ fields: [String: JSONValue]) -> String {
        fenceOpen + serialize(.object(fields)) + fenceClose
    }

    /// Compact JSON with sorted keys, the same bytes for the same data, written by hand as
    /// the export does (`JSONEncoder` costs tens of microseconds per value). Values hold no
    /// infinite numbers: they come from parsed JSON or the schema instance generator.
    static func serialize(_ value: JSONValue) -> String {
        var text = JSONBytes(capacity: 512)
        do {
            try text.value(value)
        } catch {
            return "null"
        }
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// The data of the last fenced block in `text`, if there is one and it parses.
    static func lastBlock(in text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        guard let open = lastIndex(of: fenceOpen, in: bytes, before: bytes.count) else { return nil }
        let start = open + fenceOpen.utf8.count
        guard let close = lastIndex(of: fenceClose, in: bytes, before: bytes.count), close >= start else { return nil }
        return JSONParser.parse(String(decoding: bytes[start..<close], as: UTF8.self))
    }

    /// Where the last occurrence of `pattern` that ends by `end` starts.
    private static func lastIndex(of pattern: String, in bytes: [UInt8], before end: Int) -> Int? {
        let pattern = Array(pattern.utf8)
        var start = end - pattern.count
        while start >= 0 {
            if bytes[start] == pattern[0], bytes[start..<start + pattern.count].elementsEqual(pattern) { return start }
            start -= 1
        }
        return nil
    }
}

extension JSONValue {
    init(strings: [String]) {
        self = .array(strings.map(JSONValue.string))
    }
}
