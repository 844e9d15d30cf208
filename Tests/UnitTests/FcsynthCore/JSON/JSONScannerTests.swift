import Testing

@testable import FcsynthCore

/// Each token kind and each error, against values written out by hand.
@Suite struct JSONScannerTests {
    /// Runs `body` on a scanner over `text`, starting at `index`, and returns what it gave or
    /// threw and where the scanner stopped.
    private func scan<T>(
        _ text: String, at index: Int = 0,
        _ body: (inout JSONScanner) throws -> T
    ) -> (result: Result<T, JSONScanError>, end: Int) {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = JSONScanner(bytes, at: index)
            do {
                return (.success(try body(&scanner)), scanner.index)
            } catch {
                // The scanner throws nothing else.
                return (.failure(error as! JSONScanError), scanner.index)
            }
        }
    }

    @Test func whitespaceIsTheFourJSONBytes() {
        let spaces = (0...255).map(UInt8.init).filter(JSONScanner.isWhitespace)
        #expect(spaces == [0x09, 0x0A, 0x0D, 0x20])
        #expect(scan(" \t\r\n x") { $0.skipWhitespace() }.end == 5)
        // Vertical tab, form feed and no-break space are text, not JSON whitespace.
        for text in ["\u{0B}x", "\u{0C}x", "\u{A0}x"] {
            #expect(scan(text) { $0.skipWhitespace() }.end == 0)
        }
        #expect(scan("  ", at: 2) { $0.skipWhitespace() }.end == 2)
    }

    @Test func punctuationIsTakenOnlyWhenItComes() {
        #expect(scan("{}") { $0.take(UInt8(ascii: "{")) } == (.success(true), 1))
        #expect(scan("{}") { $0.take(UInt8(ascii: "}")) } == (.success(false), 0))
        #expect(scan("") { $0.take(UInt8(ascii: "}")) } == (.success(false), 0))
        #expect(scan("[1 2]", at: 3) { $0.unexpected } == (.success(.unexpectedByte(at: 3)), 3))
        #expect(scan("[1", at: 2) { $0.unexpected } == (.success(.unexpectedEnd), 2))
    }

    @Test(arguments: [
        ("true", JSONScanner.Literal.true, 4), ("false", .false, 5), ("null", .null, 4), ("null]", .null, 4),
        ("true1", .true, 4),
    ])
    func readsLiterals(_ text: String, literal: JSONScanner.Literal, end: Int) {
        #expect(scan(text) { try $0.literal() } == (.success(literal), end))
    }

    @Test(arguments: [("tru", 0), ("nul", 0), ("trUe", 0), ("f", 0), ("None", 0), ("[ nulx]", 2), ("[True]", 1)])
    func refusesBrokenLiterals(_ text: String, at offset: Int) {
        #expect(scan(text, at: offset) { try $0.literal() }.result == .failure(.badLiteral(at: offset)))
    }

    @Test(
        arguments: [
            ("0", 0, 1), ("7", 7, 1), ("-12", -12, 3), ("-2.5", -2.5, 4), ("3e2", 300, 3), ("1E+2", 100, 4),
            ("2.5e-3", 0.0025, 6),
            ("0.125", 0.125, 5), ("12345678901234567890", 12345678901234567168, 20),
            ("1.7976931348623157e308", .greatestFiniteMagnitude, 22),
            ("5e-324", .leastNonzeroMagnitude, 6), ("123abc", 123, 3), ("4,", 4, 1), ("01", 0, 1), ("-0.0]", 0, 4),
        ] as [(String, Double, Int)])
    func readsNumbers(_ text: String, value: Double, end: Int) {
        #expect(scan(text) { try $0.number() } == (.success(value), end))
        #expect(scan(text) { try $0.skipNumber() }.end == end)
    }

    @Test func keepsTheSignOfNegativeZero() throws {
        let zero = try scan("-0") { try $0.number() }.result.get()
        #expect(zero == 0 && zero.sign == .minus)
    }

    @Test(arguments: [
        ("-", 0), ("1.", 0), (".5", 0), ("+1", 0), ("1e", 0), ("1e+", 0), ("-a", 0), ("1.e3", 0), ("-.5", 0),
        ("[1, 2.x]", 4),
    ])
    func refusesNumbersOutsideTheGrammar(_ text: String, at offset: Int) {
        #expect(scan(text, at: offset) { try $0.number() }.result == .failure(.badNumber(at: offset)))
        #expect(scan(text, at: offset) { try $0.skipNumber() }.result.failure == .badNumber(at: offset))
    }

    @Test(arguments: [
        (#""""#, "", 2), (#""plain""#, "plain", 7), (#""ab" tail"#, "ab", 4),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t", 18),
        (#""caf\u00e9""#, "café", 11), (#""\u20AC\u20ac""#, "€€", 14), (#""\u0000""#, "\u{0}", 8),
        (#""\ud83d\ude00""#, "😀", 14), (#""\uD834\uDD1E clef""#, "𝄞 clef", 19),
        ("\"é 😀 raw\"", "é 😀 raw", 13), (#""line\none\nline\ttwo \"q\"""#, "line\none\nline\ttwo \"q\"", 28),
    ])
    func readsStrings(_ literal: String, text: String, end: Int) {
        #expect(scan(literal) { try $0.string() } == (.success(text), end))
        #expect(scan(literal) { try $0.skipString() }.end == end)
    }

    @Test(arguments: [
        (#""abc"#, 0, JSONScanError.unterminatedString(at: 0)), (#""abc\"#, 0, .unterminatedString(at: 0)),
        (#""\u12"#, 0, .unterminatedString(at: 0)), (#"["ok", "cut"#, 7, .unterminatedString(at: 7)),
        (#""\x""#, 0, .badEscape(at: 1)), (#""\'""#, 0, .badEscape(at: 1)), (#""ab\u12G4""#, 0, .badEscape(at: 3)),
        (#""\u""#, 0, .badEscape(at: 1)), (#""\ud83d\u12""#, 0, .badEscape(at: 7)),
        (#""\ud83d""#, 0, .loneSurrogate(at: 1)), (#""\ud83d x""#, 0, .loneSurrogate(at: 1)),
        (#""\ud83d\n""#, 0, .loneSurrogate(at: 1)),
        (#""\ud83d\u0041""#, 0, .loneSurrogate(at: 1)), (#""\ude00""#, 0, .loneSurrogate(at: 1)),
        (#"{"k": "a\udbff\udbff"}"#, 6, .loneSurrogate(at: 8)),
        ("\"a\tb\"", 0, .controlCharacter(at: 2)), ("\"a\nb\"", 0, .controlCharacter(at: 2)),
        ("\"\u{1F}\"", 0, .controlCharacter(at: 1)),
    ])
    func refusesBrokenStrings(_ text: String, at start: Int, error: JSONScanError) {
        #expect(scan(text, at: start) { try $0.string() }.result == .failure(error))
        #expect(scan(text, at: start) { try $0.skipString() }.result.failure == error)
    }

    @Test func skipsLooseStringsWithoutCheckingThem() {
        #expect(scan(#""a\"b" x"#) { $0.skipLooseString() } == (.success(true), 6))
        #expect(scan(#""\x" ok"#) { $0.skipLooseString() } == (.success(true), 4))
        #expect(scan("\"raw\nnewline\" ok") { $0.skipLooseString() } == (.success(true), 13))
        #expect(scan(#""\ud83d" ok"#) { $0.skipLooseString() } == (.success(true), 8))
        #expect(scan(#""cut"#) { $0.skipLooseString() } == (.success(false), 4))
        #expect(scan(#""ends in \"#) { $0.skipLooseString() } == (.success(false), 10))
    }

    @Test func limitsTheDepth() {
        #expect(scan("") { try $0.checkDepth(JSONScanner.maximumDepth - 1) }.result.failure == nil)
        #expect(scan("[[", at: 1) { try $0.checkDepth(JSONScanner.maximumDepth) }.result.failure == .tooDeep(at: 1))
    }

    @Test func describesEachError() {
        #expect(JSONScanError.unexpectedEnd.description == "the text ends too soon")
        #expect(JSONScanError.unexpectedByte(at: 3).description == "unexpected character at byte 3")
        #expect(JSONScanError.badLiteral(at: 1).description == "invalid literal at byte 1")
        #expect(JSONScanError.badNumber(at: 2).description == "invalid number at byte 2")
        #expect(JSONScanError.unterminatedString(at: 0).description == "the string at byte 0 is not closed")
        #expect(
            JSONScanError.controlCharacter(at: 4).description == "unescaped control character in a string at byte 4")
        #expect(JSONScanError.badEscape(at: 5).description == "invalid escape sequence at byte 5")
        #expect(JSONScanError.loneSurrogate(at: 6).description == "unpaired UTF-16 surrogate escape at byte 6")
        #expect(JSONScanError.tooDeep(at: 512).description == "nested deeper than 512 levels at byte 512")
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
