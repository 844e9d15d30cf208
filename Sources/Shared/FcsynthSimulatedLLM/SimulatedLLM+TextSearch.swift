extension SimulatedLLM {
    /// A prompt searched for dozens of vocabulary words: each look-up is a byte search
    /// (`String.utf8Offset(of:)`), since `String`'s own search costs about a microsecond a word,
    /// which would dominate a zero-latency reply.
    package struct TextSearch {
        package let text: String

        package init(_ text: String) {
            self.text = text
        }

        /// The byte offset of the first occurrence of `word`, or nil.
        package func offset(of word: String) -> Int? {
            word.isEmpty ? 0 : text.utf8Offset(of: word)
        }

        package func contains(_ word: String) -> Bool {
            offset(of: word) != nil
        }
    }
}
