import Glibc

extension String {
    /// The UTF-8 offset of the first occurrence of `needle`: a plain byte search (`memchr` for
    /// the first byte, then `memcmp`), where Foundation's `range(of:)` bridges both strings to
    /// `NSString` first. The simulator searches every prompt it answers for directives and
    /// slot values.
    package func utf8Offset(of needle: String) -> Int? {
        var text = self
        var needle = needle
        return text.withUTF8 { text in
            needle.withUTF8 { needle in
                guard let base = text.baseAddress, let pattern = needle.baseAddress, !needle.isEmpty else { return nil }
                var offset = 0
                while text.count - offset >= needle.count,
                      let hit = memchr(base + offset, Int32(pattern.pointee), text.count - offset - needle.count + 1) {
                    offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, pattern, needle.count) == 0 { return offset }
                    offset += 1
                }
                return nil
            }
        }
    }
}
