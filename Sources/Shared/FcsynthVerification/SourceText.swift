import FcsynthCore

/// Text a value may be traced to (user messages, tool results), held in the forms the
/// checks compare: normalised words and the numbers written in it.
struct SourceText {
    private(set) var words = ""
    private(set) var numbers: [Double] = []
    /// Lengths of the arrays in tool results: a count of results is derived from them.
    private(set) var counts: Set<Int> = []

    mutating func add(text: String) {
        words += " " + TextForms.normalized(text)
        numbers += TextForms.numbers(in: text)
    }

    /// A tool result: its scalar values as text, and its arrays' lengths as counts.
    mutating func add(result: JSONValue) {
        switch result {
        case .string(let text): add(text: text)
        case .number(let number):
            numbers.append(number)
            words += " " + TextForms.normalized(Self.render(number))
        case .bool, .null: break
        case .array(let elements):
            counts.insert(elements.count)
            for element in elements { add(result: element) }
        case .object(let members):
            // In key order: a phrase read across a value and the next key must not depend on hashing.
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                words += " " + TextForms.normalized(key)
                add(result: value)
            }
        }
    }

    func holds(string value: String) -> Bool {
        let forms = TextForms.variants(of: value)
        if forms.contains(where: { TextForms.contains(words, phrase: $0) }) { return true }
        if let number = Double(value.filter { $0 != "," }), holds(number: number) { return true }
        if let names = TextForms.currencyNames[value.uppercased()],
            names.contains(where: { TextForms.contains(words, phrase: $0) })
        {
            return true
        }
        return holdsMostWords(of: value)
    }

    func holds(number value: Double) -> Bool {
        numbers.contains { abs($0 - value) < 1e-9 }
    }

    /// A derived figure: a count of results, a figure doubled, or the sum, difference or
    /// product of two figures, as a total or a price for several is. Rounded to cents or
    /// units as people write them.
    func derives(number value: Double) -> Bool {
        if value >= 0, value == value.rounded(), counts.contains(Int(value)) { return true }
        let figures = Set(numbers).sorted().prefix(64)
        for (index, first) in figures.enumerated() {
            if Self.matches(value, first) || Self.matches(value, first * 2) { return true }
            for second in figures.dropFirst(index + 1)
            where Self.matches(value, first + second)
                || Self.matches(value, first * second) || Self.matches(value, abs(first - second))
            {
                return true
            }
        }
        return false
    }

    private static func matches(_ value: Double, _ candidate: Double) -> Bool {
        abs(value - candidate) < 1e-9 || abs(value - (candidate * 100).rounded() / 100) < 1e-9
            || abs(value - candidate.rounded()) < 1e-9
    }

    /// Free text of five words or more (a message to send, a note) is composed, not copied:
    /// it counts as traced when most of its content words are in the sources.
    private func holdsMostWords(of value: String) -> Bool {
        let content = TextForms.normalized(value).split(separator: " ").filter {
            $0.count >= 3 && !Self.stopWords.contains(String($0))
        }
        guard TextForms.normalized(value).split(separator: " ").count >= 5, content.count >= 2 else { return false }
        let present = content.filter { TextForms.contains(words, phrase: String($0)) }.count
        return Double(present) >= 0.6 * Double(content.count)
    }

    private static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "your", "you", "are",
        "was", "have", "has", "will", "please", "can", "our", "all", "but", "not",
    ]

    static func render(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
