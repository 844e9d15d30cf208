extension SimulatedLLM {
    /// Substring search over UTF-8 bytes. The simulator looks dozens of vocabulary words up in
    /// every prompt; `String`'s own search (Foundation's, once any file imports it) costs about
    /// a microsecond a word, which would dominate a zero-latency reply.
    struct TextSearch {
        let text: String
        private let bytes: [UInt8]

        init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
        }

        /// The byte offset of the first occurrence of `word`, or nil.
        func offset(of word: String) -> Int? {
            let pattern = Array(word.utf8)
            guard let first = pattern.first, pattern.count <= bytes.count else { return pattern.isEmpty ? 0 : nil }
            var start = 0
            while start + pattern.count <= bytes.count {
                if bytes[start] == first, bytes[start..<start + pattern.count].elementsEqual(pattern) { return start }
                start += 1
            }
            return nil
        }

        func contains(_ word: String) -> Bool {
            offset(of: word) != nil
        }
    }
}
