import Glibc

extension UnsafeBufferPointer<UInt8> {
    /// The offset of the first occurrence of `needle` at or after `start`: a plain byte search
    /// (`memchr` for the first byte, then `memcmp`), where Foundation's `range(of:)` bridges both
    /// strings to `NSString` first. The simulator searches every prompt it answers for
    /// directives, slot values and its prompt data.
    package func firstOffset(of needle: String, from start: Int = 0) -> Int? {
        var needle = needle
        return needle.withUTF8 { needle in
            guard let base = baseAddress, let pattern = needle.baseAddress, !needle.isEmpty, start >= 0 else {
                return nil
            }
            var offset = start
            while count - offset >= needle.count,
                let hit = memchr(base + offset, Int32(pattern.pointee), count - offset - needle.count + 1)
            {
                offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, pattern, needle.count) == 0 { return offset }
                offset += 1
            }
            return nil
        }
    }

    /// The offset of the last occurrence of `needle`.
    package func lastOffset(of needle: String) -> Int? {
        var needle = needle
        return needle.withUTF8 { needle in
            guard let base = baseAddress, let pattern = needle.baseAddress, !needle.isEmpty else { return nil }
            var offset = count - needle.count
            while offset >= 0 {
                if base[offset] == pattern.pointee, memcmp(base + offset, pattern, needle.count) == 0 { return offset }
                offset -= 1
            }
            return nil
        }
    }
}
