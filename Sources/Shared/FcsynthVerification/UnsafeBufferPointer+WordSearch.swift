import FcsynthCore

extension UnsafeBufferPointer<UInt8> {
    /// Whether `word` stands here with a space or an end on each side: what
    /// `(" " + text + " ").contains(" " + word + " ")` asks, without building either string.
    func containsWord(_ word: String) -> Bool {
        let length = word.utf8.count
        var start = 0
        while let offset = firstOffset(of: word, from: start) {
            let end = offset + length
            if offset == 0 || self[offset - 1] == UInt8(ascii: " "), end == count || self[end] == UInt8(ascii: " ") {
                return true
            }
            start = offset + 1
        }
        return false
    }
}
