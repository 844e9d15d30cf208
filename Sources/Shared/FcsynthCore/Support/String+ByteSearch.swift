extension String {
    /// The UTF-8 offset of the first occurrence of `needle`, found by a byte search.
    package func utf8Offset(of needle: String) -> Int? {
        var text = self
        return text.withUTF8 { $0.firstOffset(of: needle) }
    }
}
