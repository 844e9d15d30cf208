/// Finds, eight bytes at a time, the next byte inside a JSON string that its reader or writer
/// must stop at: a quote, a backslash or a control character, and for the writer the lead byte
/// of the line and direction separators too. Seed chats and prompts are long runs of plain
/// text, which a byte-by-byte loop walks one compare and branch at a time.
package enum JSONStringScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first such byte at or after `start`, or `bytes.count`. `separators`
    /// also stops at 0xE2, the first byte of U+2028 and the other characters `JSONBytes` escapes.
    @inline(__always)
    package static func nextStop(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, separators: Bool) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // Each term flags its lowest matching byte exactly (a borrow only runs upward),
                // so the lowest flag of the union is the first stop.
                var flags = lessThanSpace(word) | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
                if separators { flags |= zeroBytes(word ^ (ones &* 0xE2)) }
                if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || (separators && byte == 0xE2) { return index }
            index += 1
        }
        return index
    }

    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highs
    }

    @inline(__always)
    private static func lessThanSpace(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highs
    }
}
