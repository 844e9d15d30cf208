import Testing

@testable import FcsynthCore

/// The word-at-a-time scan against a byte-by-byte search written here: every stop byte at
/// every offset of a word, after every start, and neighbours of the stop bytes that must not
/// stop it (0x20, 0x21, 0x23, 0x5B, 0x5D, 0xE1, 0xE3, 0x7F, 0x80, 0xFF).
@Suite struct JSONStringScanTests {
    private static let stops: [UInt8] = [0x00, 0x01, 0x0A, 0x1F, 0x22, 0x5C, 0xE2]
    private static let plain: [UInt8] = [0x20, 0x21, 0x23, 0x41, 0x5B, 0x5D, 0x7F, 0x80, 0xE1, 0xE3, 0xFF]

    private static func expected(_ bytes: [UInt8], from start: Int, separators: Bool) -> Int {
        bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (separators && $0 == 0xE2) }
            ?? bytes.count
    }

    private static func scanned(_ bytes: [UInt8], from start: Int, separators: Bool) -> Int {
        bytes.withUnsafeBufferPointer { JSONStringScan.nextStop(in: $0, from: start, separators: separators) }
    }

    @Test(arguments: stops)
    func findsEachStopByteAtEveryOffset(stop: UInt8) {
        for length in 0...27 {
            for position in 0..<max(length, 1) where position < length {
                for filler in Self.plain {
                    var bytes = [UInt8](repeating: filler, count: length)
                    bytes[position] = stop
                    for start in 0...length {
                        for separators in [false, true] {
                            let want = Self.expected(bytes, from: start, separators: separators)
                            let got = Self.scanned(bytes, from: start, separators: separators)
                            guard got == want else {
                                Issue.record(
                                    "stop \(stop) at \(position) of \(length) in \(filler), from \(start), separators \(separators): \(got), not \(want)"
                                )
                                return
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func plainTextRunsToTheEnd() {
        for length in 0...40 {
            let bytes = (0..<length).map { Self.plain[$0 % Self.plain.count] }
            #expect(Self.scanned(bytes, from: 0, separators: true) == length)
        }
    }

    /// Many stops in one word: the first one counts, whichever kind follows it.
    @Test func theFirstOfSeveralStopsInOneWordCounts() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? Self.stops.randomElement(using: &generator)! : Self.plain.randomElement(using: &generator)!
            }
            let start = Int.random(in: 0...length, using: &generator)
            for separators in [false, true] {
                #expect(
                    Self.scanned(bytes, from: start, separators: separators)
                        == Self.expected(bytes, from: start, separators: separators), "\(bytes) from \(start)")
            }
        }
    }
}
