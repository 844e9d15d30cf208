extension SimulatedLLM {
    /// `PromptData.lastBlock`, found and parsed straight from the UTF-8 bytes: the simulator
    /// reads one or more blocks of every prompt it answers, and Foundation's string search and
    /// `JSONDecoder` made up most of its cost.
    static func promptData(in text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { bytes in
            guard let block = lastBlock(in: bytes) else { return nil }
            // A block the fast parser refuses gets the reference reading.
            return JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[block]))
                ?? PromptData.lastBlock(in: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Where the data of the last fenced block lies: after the last opening fence, up to the
    /// first closing fence after it.
    private static func lastBlock(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let open = lastOffset(of: PromptData.fenceOpen, in: bytes) else { return nil }
        let start = open + PromptData.fenceOpen.utf8.count
        guard let close = firstOffset(of: PromptData.fenceClose, in: bytes, from: start) else { return nil }
        return start..<close
    }

    private static func lastOffset(of needle: String, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let needle = Array(needle.utf8)
        guard bytes.count >= needle.count else { return nil }
        return stride(from: bytes.count - needle.count, through: 0, by: -1).first { matches(needle, in: bytes, at: $0) }
    }

    private static func firstOffset(of needle: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let needle = Array(needle.utf8)
        guard bytes.count - start >= needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { matches(needle, in: bytes, at: $0) }
    }

    private static func matches(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        bytes[offset] == needle[0] && needle.indices.allSatisfy { bytes[offset + $0] == needle[$0] }
    }
}
