extension Sequence<UInt8> {
    /// Whether every byte is ASCII other than a carriage return: each byte of such UTF-8 is
    /// one Character ("\r\n" is one Character of two bytes), and comparing by canonical
    /// equivalence, as Foundation's `range(of:)` does, is comparing bytes.
    var isPlainASCII: Bool {
        for byte in self where byte >= 0x80 || byte == UInt8(ascii: "\r") { return false }
        return true
    }
}
