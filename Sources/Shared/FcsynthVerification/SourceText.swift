import FcsynthCore

/// Text a value may be traced to (the system prompt's own words, user messages, tool results),
/// held in the forms the checks compare: normalised words, the numbers written in it, and the
/// full dates it states, which relative dates count from.
struct SourceText {
    private(set) var words = ""
    private(set) var numbers: [Double] = []
    /// Lengths of the arrays in tool results: a count of results is derived from them.
    private(set) var counts: Set<Int> = []
    /// Full dates the text states, in order: the first is "today" for relative words.
    private(set) var statedDays: [StatedDay] = []
    /// Currency signs written before figures ($, €, £, ¥), for the codes they stand for.
    private(set) var currencySigns: Set<Character> = []

    mutating func add(text: String) {
        let normalized = TextForms.normalized(text)
        words += " " + normalized
        numbers += TextForms.numbers(in: text, normalized: normalized)
        statedDays += TextForms.statedDays(in: normalized)
        if text.utf8.isPlainASCII {
            // Of the signs only "$" is ASCII: no need to walk the Characters.
            if text.utf8.contains(UInt8(ascii: "$")) { currencySigns.insert("$") }
        } else {
            currencySigns.formUnion(text.filter { TextForms.currencySigns[$0] != nil })
        }
    }

    /// What `other` holds, after what this holds: the same as adding its texts and results here.
    mutating func add(_ other: SourceText) {
        words += other.words
        numbers += other.numbers
        counts.formUnion(other.counts)
        statedDays += other.statedDays
        currencySigns.formUnion(other.currencySigns)
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
            numbers += Self.columnTotals(of: elements)
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
        if holdsDateOrTime(value) { return true }
        if let sign = TextForms.currencySigns.first(where: { $0.value == value })?.key, currencySigns.contains(sign) {
            return true
        }
        if let names = TextForms.languageNames[value.lowercased()],
            names.contains(where: { TextForms.contains(words, phrase: $0) })
        {
            return true
        }
        if holdsEveryWord(of: value) { return true }
        if !value.contains(" "), value.count >= 3,
            Self.inflections(of: TextForms.normalized(value)).contains(where: { TextForms.contains(words, phrase: $0) })
        {
            return true
        }
        if value.count >= 6, value.allSatisfy(\.isNumber), holdsDigitGroups(value) { return true }
        if let number = Double(value.filter { $0 != "," }), holds(number: number) { return true }
        if let names = TextForms.currencyNames[value.uppercased()],
            names.contains(where: { TextForms.contains(words, phrase: $0) })
        {
            return true
        }
        return holdsMostWords(of: value)
    }

    /// The totals a list of results offers: of its numbers, of each numeric member of its
    /// objects, of each numeric position of its rows ("11,240 orders in all", "taxes of 1,018.50").
    private static func columnTotals(of elements: [JSONValue]) -> [Double] {
        guard elements.count >= 2 else { return [] }
        if elements.allSatisfy({ $0.numberValue != nil }) { return [elements.compactMap(\.numberValue).reduce(0, +)] }
        var totals: [String: Double] = [:]
        var seen: [String: Int] = [:]
        for element in elements {
            let cells: [(String, JSONValue)] =
                element.objectValue.map { Array($0) } ?? element.arrayValue.map {
                    $0.enumerated().map { ("\($0.offset)", $0.element) }
                } ?? []
            for (key, cell) in cells {
                guard let number = cell.numberValue else { continue }
                totals[key, default: 0] += number
                seen[key, default: 0] += 1
            }
        }
        return totals.filter { seen[$0.key] == elements.count }.sorted { $0.key < $1.key }.map(\.value)
    }

    func holds(number value: Double) -> Bool {
        numbers.contains { abs($0 - value) < 1e-9 }
    }

    /// A derived figure: a count of results; a figure without its sign, doubled, or converted
    /// by a common unit factor (`unitFactors`: a week's days, a year's months, an hour's
    /// minutes, a percentage, thousands, miles); or the sum, difference or product of two
    /// figures, as a total or a price for several is. Rounded to cents. In a final answer
    /// (`summarising`) also the ratio of two figures (a price per unit) and the minutes left
    /// over from whole hours, and any of these rounded to units, as people write them.
    func derives(number value: Double, summarising: Bool = false) -> Bool {
        if value >= 0, value == value.rounded(), counts.contains(Int(value)) { return true }
        // Nothing is derived as zero: a small ratio or a unit conversion rounds to it too easily.
        guard value != 0 else { return false }
        func matches(_ candidate: Double) -> Bool { Self.matches(value, candidate, toUnits: summarising) }
        let figures = Set(numbers).sorted().prefix(64)
        for (index, first) in figures.enumerated() {
            if matches(first) || matches(abs(first)) || matches(first * 2) { return true }
            if Self.unitFactors.contains(where: { matches(first * $0) || matches(first / $0) }) { return true }
            if summarising, first >= 60, first == first.rounded() {
                let minutes = first.truncatingRemainder(dividingBy: 60)
                if minutes > 0, matches(minutes) { return true }
            }
            for second in figures.dropFirst(index + 1)
            where matches(first + second) || matches(first * second) || matches(abs(first - second))
                || (summarising && first > 0 && (matches(second / first) || matches(first / second * 100)))
            {
                return true
            }
        }
        return false
    }

    static let unitFactors: [Double] = [7, 12, 24, 60, 100, 1000, 1.609_344]

    private static func matches(_ value: Double, _ candidate: Double, toUnits: Bool) -> Bool {
        abs(value - candidate) < 1e-9 || abs(value - (candidate * 100).rounded() / 100) < 1e-9
            || (toUnits && abs(value - candidate.rounded()) < 1e-9)
    }

    /// Free text of five words or more (a message to send, a note) is composed, not copied:
    /// it counts as traced when at least half of its content words are in the sources, with
    /// greetings and sign-offs left out of the count.
    private func holdsMostWords(of value: String) -> Bool {
        let content = TextForms.words(of: TextForms.normalized(value)).filter {
            $0.count >= 3 && !Self.stopWords.contains(String($0)) && !Self.courtesyWords.contains(String($0))
        }
        guard TextForms.words(of: TextForms.normalized(value)).count >= 5, content.count >= 2 else { return false }
        let present = content.filter { TextForms.contains(words, phrase: String($0)) }.count
        return Double(present) >= 0.5 * Double(content.count)
    }

    /// A short value (a search query, an address, a title) made of words the sources hold,
    /// in any order: "Graham boiler repair", "Hotel Sacher, Vienna".
    private func holdsEveryWord(of value: String) -> Bool {
        let parts = TextForms.words(of: TextForms.normalized(value))
        let content = parts.filter {
            !Self.stopWords.contains(String($0)) && !["in", "of", "at", "on", "to"].contains($0)
        }
        guard parts.count >= 2, parts.count < 5, !content.isEmpty else { return false }
        return content.allSatisfy { word in
            Self.inflections(of: String(word)).contains { TextForms.contains(words, phrase: $0) }
        }
    }

    /// A word with its plural or singular.
    static func inflections(of word: String) -> [String] {
        word.hasSuffix("s") ? [word, String(word.dropLast())] : [word, word + "s"]
    }

    /// A number written in groups ("2900 1487 3321", "4111-1111") sent without the breaks.
    private func holdsDigitGroups(_ value: String) -> Bool {
        let parts = TextForms.words(of: words)
        for start in parts.indices where parts[start].allSatisfy(\.isNumber) && value.hasPrefix(parts[start]) {
            var joined = ""
            for part in parts[start...] {
                guard part.allSatisfy(\.isNumber) else { break }
                joined += part
                if joined == value { return true }
                if joined.count >= value.count { break }
            }
        }
        return false
    }

    /// An ISO date, time or date-time: a date-time whose date and time each hold; a date the
    /// sources give relative to a day they state ("tomorrow", "this Friday", "next Monday",
    /// "the 29th", the first of "this month").
    private func holdsDateOrTime(_ value: String) -> Bool {
        if let separator = value.firstIndex(of: "T"), StatedDay(iso: value[..<separator]) != nil {
            var time = value[value.index(after: separator)...]
            if let zone = time.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) { time = time[..<zone] }
            let parts = time.split(separator: ":")
            let clock = parts.count >= 2 ? "\(parts[0]):\(parts[1])" : String(time)
            return holds(string: String(value[..<separator])) && holds(string: clock)
        }
        if let minutes = Self.clockMinutes(value) { return holdsShiftedTime(minutes) || holdsHourInRange(minutes) }
        if value.count == 7, let month = StatedDay(iso: Substring(value + "-01")) {
            // A billing month "2025-08": the month named, in a year the conversation states.
            let name = TextForms.months[month.month - 1]
            let named =
                TextForms.contains(words, phrase: name) || TextForms.contains(words, phrase: String(name.prefix(3)))
            return named
                && (statedDays.contains { $0.year == month.year } || TextForms.contains(words, phrase: "\(month.year)"))
        }
        guard value.count == 10, let date = StatedDay(iso: Substring(value)) else { return false }
        if holdsWithinRange(date) { return true }
        guard let today = statedDays.first else { return false }
        let ahead = date.ordinal - today.ordinal
        let weekday = StatedDay.weekdays[date.weekday]
        func says(_ phrase: String) -> Bool { TextForms.contains(words, phrase: phrase) }
        if ahead == 0 && (says("today") || says("tonight") || says("now")) { return true }
        if ahead == 1 && says("tomorrow") { return true }
        if ahead == 2 && says("day after tomorrow") { return true }
        if ahead == -1 && says("yesterday") { return true }
        if (1...7).contains(ahead) && says(weekday) { return true }
        if (8...14).contains(ahead) && says("next " + weekday) { return true }
        if date.day == 1, date.month == today.month, date.year == today.year, says("this month") { return true }
        // "in ten days", "two weeks from today"
        for figure in numbers where figure > 0 && figure == figure.rounded() && figure <= 366 {
            if ahead == Int(figure) && (says("days") || says("day")) { return true }
            if ahead == Int(figure) * 7 && (says("weeks") || says("week")) { return true }
        }
        // "3/12" in a conversation that states the year
        if date.year == today.year, says("\(date.month) \(date.day)") || says("\(date.day) \(date.month)") {
            return true
        }
        let ordinal = ["st", "nd", "rd", "th"].map { "\(date.day) \($0)" }
        if ordinal.contains(where: says) {
            return statedDays.contains { stated in
                let next = stated.month == 12 ? (stated.year + 1, 1) : (stated.year, stated.month + 1)
                return (date.year, date.month) == (stated.year, stated.month) || (date.year, date.month) == next
            }
        }
        return false
    }

    /// A time the sources give as another time shifted by a duration they also give ("3pm",
    /// "45 minutes" → 15:45; "an hour before" 16:00 → 15:00).
    private func holdsShiftedTime(_ minutes: Int) -> Bool {
        let says = { (phrase: String) in TextForms.contains(words, phrase: phrase) }
        let (saysMinutes, saysHours) = (says("minutes") || says("minute") || says("min"), says("hours") || says("hour"))
        var shifts = Set<Int>()
        for figure in numbers where figure > 0 && figure == figure.rounded() && figure <= 600 {
            if saysMinutes { shifts.insert(Int(figure)) }
            if saysHours, figure <= 12 { shifts.insert(Int(figure) * 60) }
        }
        return shifts.contains { shift in
            [minutes - shift, minutes + shift].contains { shifted in
                (0..<1440).contains(shifted)
                    && TextForms.variants(of: String(format: "%02d:%02d", shifted / 60, shifted % 60)).contains(
                        where: says)
            }
        }
    }

    /// A whole hour given as one end of a range whose other end carries am or pm ("between 2
    /// and 4pm" gives 14:00).
    private func holdsHourInRange(_ minutes: Int) -> Bool {
        guard minutes % 60 == 0 else { return false }
        let hour = minutes / 60
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        let half = hour < 12 ? "am" : "pm"
        let parts = TextForms.words(of: words)
        for (index, part) in parts.enumerated() where part == "\(twelve)" {
            let following = parts[(index + 1)..<min(parts.count, index + 4)]
            guard let link = following.first, ["and", "to", "or"].contains(link) || Int(link) != nil else { continue }
            if following.contains(Substring(half)) { return true }
        }
        return false
    }

    /// "HH:MM" (or "HH:MM:SS") as minutes after midnight.
    private static func clockMinutes(_ value: String) -> Int? {
        let parts = value.split(separator: ":")
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 || $0.count == 1 }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// A day inside a range the sources state ("3 to 6 October 2025", "7–9 March"): its first or
    /// last day, or a day of it they name by weekday ("the Saturday").
    private func holdsWithinRange(_ date: StatedDay) -> Bool {
        let parts = TextForms.words(of: words)
        let month = TextForms.months[date.month - 1]
        for (index, word) in parts.enumerated() where word == month || word == month.prefix(3) {
            var numbers = parts[max(0, index - 4)..<index].compactMap { Int($0) }.filter { (1...31).contains($0) }
            guard numbers.count >= 2 else { continue }
            numbers = Array(numbers.suffix(2))
            let (first, last) = (numbers[0], numbers[1])
            guard first < last, (first...last).contains(date.day) else { continue }
            let year = parts[(index + 1)..<min(parts.count, index + 2)].compactMap { Int($0) }.first
            guard year == nil || year == date.year else { continue }
            if date.day == first || date.day == last { return true }
            if TextForms.contains(words, phrase: StatedDay.weekdays[date.weekday]) { return true }
        }
        return false
    }

    private static let courtesyWords: Set<String> = [
        "hi", "hello", "hey", "dear", "thanks", "thank", "regards", "best", "cheers", "kind", "just", "quick",
    ]

    private static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "your", "you", "are",
        "was", "have", "has", "will", "please", "can", "our", "all", "but", "not",
    ]

    static func render(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
