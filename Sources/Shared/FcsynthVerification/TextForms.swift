/// The small set of normalisations under which a value counts as the same value as text
/// that holds it. Kept small on purpose (docs/stages.md lists them): case, spacing and
/// punctuation; a date or a time written another way; a number with its unit, currency sign
/// or thousands separators; a number written as a word up to twenty.
enum TextForms {
    /// Lower case, every run of characters other than letters and digits as one space, and a
    /// space between digits and letters ("6:30pm" and "6.30 PM" both read "6 30 pm").
    static func normalized(_ text: String) -> String {
        var out: [Character] = []
        out.reserveCapacity(text.count + 2)
        var previous: Character = " "
        for character in text.lowercased() {
            let isWord = character.isLetter || character.isNumber
            guard isWord else {
                if previous != " " { out.append(" ") }
                previous = " "
                continue
            }
            if previous != " ", previous.isNumber != character.isNumber {
                out.append(" ")
            }
            out.append(character)
            previous = character
        }
        while out.last == " " { out.removeLast() }
        return String(out)
    }

    /// Whether `phrase` (normalised) stands in `text` (normalised) as whole words.
    static func contains(_ text: String, phrase: String) -> Bool {
        guard !phrase.isEmpty else { return false }
        return (" " + text + " ").contains(" " + phrase + " ")
    }

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ]

    /// The ways people write the date or time that `value` holds in ISO form, normalised; the
    /// value's own form first.
    static func variants(of value: String) -> [String] {
        var forms = [normalized(value)]
        let digits = value.split(whereSeparator: { !$0.isNumber }).map(String.init)
        if value.count >= 10, digits.count >= 3, digits[0].count == 4, let year = Int(digits[0]),
            let month = Int(digits[1]),
            let day = Int(digits[2]), (1...12).contains(month), (1...31).contains(day), value.contains("-")
        {
            let name = months[month - 1]
            let short = String(name.prefix(3))
            for monthName in Set([name, short]) {
                forms += [
                    "\(day) \(monthName) \(year)", "\(monthName) \(day) \(year)", "\(day) \(monthName)",
                    "\(monthName) \(day)",
                ]
                for suffix in ["st", "nd", "rd", "th"] {
                    forms += [
                        "\(day) \(suffix) \(monthName) \(year)", "\(monthName) \(day) \(suffix) \(year)",
                        "\(day) \(suffix) \(monthName)", "\(monthName) \(day) \(suffix)",
                    ]
                }
            }
            forms += ["\(day) \(month) \(year)", "\(month) \(day) \(year)"]
        }
        if digits.count >= 2, digits.count <= 3, value.contains(":"), !value.contains("-"), let hour = Int(digits[0]),
            let minute = Int(digits[1]), (0...23).contains(hour), (0...59).contains(minute)
        {
            let twelve = hour % 12 == 0 ? 12 : hour % 12
            let half = hour < 12 ? "am" : "pm"
            forms.append(String(format: "%d %02d %@", twelve, minute, half))
            forms.append("\(hour) \(String(format: "%02d", minute))")
            if minute == 0 {
                forms += [
                    "\(twelve) \(half)", "\(twelve) o clock", hour == 12 ? "noon" : "", hour == 0 ? "midnight" : "",
                ]
            }
        }
        return forms.filter { !$0.isEmpty }
    }

    /// ISO 4217 codes of the currencies people name in words, with the words.
    static let currencyNames: [String: [String]] = [
        "USD": ["us dollars", "us dollar", "dollars", "dollar"], "EUR": ["euros", "euro"],
        "GBP": ["british pounds", "pounds sterling", "pounds", "pound", "sterling"], "JPY": ["japanese yen", "yen"],
        "CHF": ["swiss francs", "swiss franc"], "CAD": ["canadian dollars"], "AUD": ["australian dollars"],
        "CNY": ["chinese yuan", "yuan", "renminbi"], "INR": ["indian rupees", "rupees"], "SEK": ["swedish kronor"],
        "NOK": ["norwegian kroner"], "MXN": ["mexican pesos"], "BRL": ["brazilian reais", "reais"],
    ]

    static let numberWords = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty",
    ]

    /// Every number written in `text`: digits with an optional sign, thousands separators and
    /// decimals ("1,250.50", "-3", "$40"), and the number words up to twenty.
    static func numbers(in text: String) -> [Double] {
        var found: [Double] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character.isASCII, character.isNumber else {
                index += 1
                continue
            }
            let negative =
                index > 0 && characters[index - 1] == "-"
                && (index < 2 || !(characters[index - 2].isLetter || characters[index - 2].isNumber))
            var digits = ""
            var end = index
            while end < characters.count {
                let next = characters[end]
                if next.isASCII, next.isNumber {
                    digits.append(next)
                } else if next == ",", end + 3 < characters.count, !digits.contains("."),
                    characters[(end + 1)...(end + 3)].allSatisfy({ $0.isASCII && $0.isNumber })
                {
                    // a thousands separator: exactly three digits follow
                } else if next == ".", end + 1 < characters.count, characters[end + 1].isASCII,
                    characters[end + 1].isNumber,
                    !digits.contains(".")
                {
                    digits.append(".")
                } else {
                    break
                }
                end += 1
            }
            if let value = Double(digits) { found.append(negative ? -value : value) }
            index = max(end, index + 1)
        }
        for word in normalized(text).split(separator: " ") {
            if let value = numberWords.firstIndex(of: String(word)) { found.append(Double(value)) }
        }
        return found
    }
}
