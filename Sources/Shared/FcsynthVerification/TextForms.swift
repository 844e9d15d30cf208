/// The small set of normalisations under which a value counts as the same value as text
/// that holds it. Kept small on purpose (docs/stages.md lists them): case, spacing and
/// punctuation; a date or a time written another way; a number with its unit, currency sign
/// or thousands separators; a number written in words up to ninety-nine; a date relative to one
/// the conversation states; a currency sign or a language name for its code.
enum TextForms {
    /// Lower case, every run of characters other than letters and digits as one space, and a
    /// space between digits and letters ("6:30pm" and "6.30 PM" both read "6 30 pm").
    static func normalized(_ text: String) -> String {
        var text = text
        if let ascii = text.withUTF8({ $0.isPlainASCII ? normalizedASCII($0) : nil }) { return ascii }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        // Whether the last character written is a digit; nil at the start and after a space.
        var previousIsNumber: Bool?
        var spacePending = false
        for character in text.lowercased() {
            // A one-byte Character (or "\r\n") has its byte's properties: no table lookup needed.
            let isNumber: Bool
            let isWord: Bool
            if let ascii = character.asciiValue {
                isNumber = isDigit(ascii)
                isWord = isNumber || isLetter(ascii)
            } else {
                isNumber = character.isNumber
                isWord = isNumber || character.isLetter
            }
            guard isWord else {
                if previousIsNumber != nil { spacePending = true }
                previousIsNumber = nil
                continue
            }
            if spacePending || previousIsNumber.map({ $0 != isNumber }) == true { out.append(UInt8(ascii: " ")) }
            spacePending = false
            out.append(contentsOf: character.utf8)
            previousIsNumber = isNumber
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `normalized(_:)` of text whose every byte is a Character: the same steps on bytes.
    private static func normalizedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // A space between digits and letters can make the text longer: "1a1" is "1 a 1".
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var count = 0
            var previousIsNumber: Bool?
            var spacePending = false
            for byte in bytes {
                let isNumber = isDigit(byte)
                guard isNumber || isLetter(byte) else {
                    if previousIsNumber != nil { spacePending = true }
                    previousIsNumber = nil
                    continue
                }
                if spacePending || previousIsNumber.map({ $0 != isNumber }) == true {
                    out[count] = UInt8(ascii: " ")
                    count += 1
                }
                spacePending = false
                out[count] = isNumber ? byte : byte | 0x20
                count += 1
                previousIsNumber = isNumber
            }
            return count
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// An ASCII letter, of either case.
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// The words of normalised text, as `split(separator: " ")` gives them: by bytes where every
    /// byte is a Character, so that no grapheme breaking is needed.
    static func words(of normalized: String) -> [Substring] {
        normalized.utf8.isPlainASCII
            ? normalized.utf8.split(separator: UInt8(ascii: " ")).map(Substring.init)
            : normalized.split(separator: " ")
    }

    /// Whether `phrase` (normalised) stands in `text` (normalised) as whole words.
    static func contains(_ text: String, phrase: String) -> Bool {
        guard !phrase.isEmpty else { return false }
        var text = text
        let found = text.withUTF8 { $0.isPlainASCII && phrase.utf8.isPlainASCII ? $0.containsWord(phrase) : nil }
        return found ?? (" " + text + " ").contains(" " + phrase + " ")
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
            forms += [
                String(format: "%02d %02d %d", day, month, year), String(format: "%02d %02d %d", month, day, year),
            ]
            for suffix in ["st", "nd", "rd", "th"] {
                forms += ["\(day) \(suffix) of \(name) \(year)", "\(day) \(suffix) of \(name)"]
            }
            forms += ["\(day) of \(name) \(year)", "\(day) of \(name)"]
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
            let part = hour < 12 ? "in the morning" : hour < 18 ? "in the afternoon" : "in the evening"
            let next = twelve % 12 + 1
            for (spoken, nextSpoken) in [("\(twelve)", "\(next)"), (numberWords[twelve], numberWords[next])] {
                switch minute {
                case 0: forms += ["\(spoken) \(part)", "\(spoken) o clock \(part)"]
                case 30: forms += ["half past \(spoken)", "\(spoken) thirty"]
                case 15: forms.append("quarter past \(spoken)")
                case 45: forms.append("quarter to \(nextSpoken)")
                default: break
                }
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
        "NOK": ["norwegian kroner"], "MXN": ["mexican pesos", "pesos", "mexico"], "BRL": ["brazilian reais", "reais"],
        "PLN": ["polish zloty", "zloty", "złoty", "zlotys"],
    ]

    /// The signs written before figures, and the ISO 4217 codes they stand for.
    static let currencySigns: [Character: String] = ["$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"]

    /// Language and locale codes (ISO 639-1, with a region where people name one), with the
    /// names people use for them.
    static let languageNames: [String: [String]] = [
        "en": ["english"], "en-us": ["american english"], "en-gb": ["british english"], "fr": ["french"],
        "de": ["german"], "es": ["spanish"], "it": ["italian"], "pt": ["portuguese"],
        "pt-br": ["brazilian portuguese"], "pt-pt": ["european portuguese"], "nl": ["dutch"], "sv": ["swedish"],
        "no": ["norwegian"], "da": ["danish"], "fi": ["finnish"], "pl": ["polish"], "cs": ["czech"],
        "el": ["greek"], "tr": ["turkish"], "ru": ["russian"], "uk": ["ukrainian"], "ar": ["arabic"],
        "he": ["hebrew"], "hi": ["hindi"], "ja": ["japanese"], "ko": ["korean"], "zh": ["chinese", "mandarin"],
        "zh-cn": ["simplified chinese"], "zh-tw": ["traditional chinese"], "th": ["thai"], "vi": ["vietnamese"],
        "id": ["indonesian"],
    ]

    static let numberWords = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen",
    ]
    static let tensWords = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    /// Units a figure is counted in, for "a kilometre", "an hour".
    static let unitWords: Set<String> = [
        "kilometre", "kilometer", "km", "mile", "metre", "meter", "hour", "minute", "day", "week", "month", "year",
        "night", "kilo", "kilogram", "litre", "liter",
    ]
    /// Words for fractions and groups: "half an hour", "a dozen eggs", "a quarter of".
    static let quantityWords: [String: Double] = ["half": 0.5, "quarter": 0.25, "dozen": 12]

    /// Each month's name and its first three letters, with the month's index ("may" is both).
    private static let monthIndices = Dictionary(
        months.enumerated().flatMap { [($1, $0), (String($1.prefix(3)), $0)] }, uniquingKeysWith: min)

    /// Every full date the (normalised) text states: with a month name ("5 april 2025",
    /// "april 5 2025", "5 th of april 2025"), or as day, month and four-digit year in
    /// numbers ("22 05 2025", read day first).
    static func statedDays(in normalized: String) -> [StatedDay] {
        let words = Self.words(of: normalized)
        var found: [StatedDay] = []
        // A word `Int` reads is ASCII: its bytes count its Characters.
        for (index, word) in words.enumerated() {
            if let month = monthIndices[String(word)] {
                let before = words[max(0, index - 3)..<index].reversed().compactMap { Int($0) }.first
                let after = words[(index + 1)..<min(words.count, index + 4)].compactMap { Int($0) }
                if let year = after.first(where: { $0 >= 1900 }), let day = before ?? after.first(where: { $0 <= 31 }),
                    let stated = StatedDay(year: year, month: month + 1, day: day)
                {
                    found.append(stated)
                }
            } else if index >= 2, word.utf8.count == 4, let year = Int(word), year >= 1900,
                let month = Int(words[index - 1]),
                let day = Int(words[index - 2]), let stated = StatedDay(year: year, month: month, day: day)
            {
                found.append(stated)
            } else if index + 2 < words.count, word.utf8.count == 4, let year = Int(word), year >= 1900,
                let month = Int(words[index + 1]), let day = Int(words[index + 2]),
                let stated = StatedDay(year: year, month: month, day: day)
            {
                // ISO "2025-04-03", normalised to "2025 04 03"
                found.append(stated)
            }
        }
        return found
    }

    /// Every number written in `text`: digits with an optional sign, thousands separators and
    /// decimals ("1,250.50", "-3", "$40"), number words up to ninety-nine, "half", "a dozen",
    /// and "a" or "an" before a unit ("a kilometre"). Clock times are left out.
    static func numbers(in text: String) -> [Double] {
        numbers(in: text, normalized: normalized(text))
    }

    /// `numbers(in:)` for a caller that has the text's normalised form already.
    static func numbers(in text: String, normalized: String) -> [Double] {
        var text = text
        var found =
            text.withUTF8 { $0.isPlainASCII ? figures(in: $0) : nil }
            ?? text.map { $0.asciiValue ?? ($0.isLetter || $0.isNumber ? UInt8(ascii: "a") : UInt8(ascii: " ")) }
            .withUnsafeBufferPointer(figures(in:))
        let words = Self.words(of: normalized).map(String.init)
        // No word that starts with a digit is a number word: most such words skip the lookups.
        for (index, word) in words.enumerated() where !isDigit(word.utf8.first ?? 0) {
            if let value = numberWordValues[word] {
                found.append(Double(value))
            } else if let tens = tensWordValues[word] {
                let value = Double(20 + tens * 10)
                found.append(value)
                if index + 1 < words.count, let unit = numberWordValues[words[index + 1]], (1...9).contains(unit) {
                    found.append(value + Double(unit))
                }
            } else if let value = quantityWords[word] {
                found.append(value)
            } else if singularWords.contains(word), index + 1 < words.count, unitWords.contains(words[index + 1]) {
                found.append(1)
            }
        }
        return found
    }

    private static let numberWordValues = Dictionary(uniqueKeysWithValues: numberWords.enumerated().map { ($1, $0) })
    private static let tensWordValues = Dictionary(uniqueKeysWithValues: tensWords.enumerated().map { ($1, $0) })
    /// Words that make the unit after them one: "a kilometre", "per night".
    private static let singularWords: Set<String> = ["a", "an", "per", "past", "last", "next", "every"]

    /// The figures of `numbers(in:)`, read from one byte per Character: the Character's own
    /// where it is ASCII ("\r\n" reads "\n"), else "a" for a letter or digit and " " for the rest.
    private static func figures(in codes: UnsafeBufferPointer<UInt8>) -> [Double] {
        func isDigit(_ index: Int) -> Bool { Self.isDigit(codes[index]) }
        var found: [Double] = []
        var index = 0
        while index < codes.count {
            guard isDigit(index) else {
                index += 1
                continue
            }
            // A clock time ("10:00", "18:45:30") is a time, not figures: its variants trace it.
            var clockEnd = index
            while clockEnd < codes.count, isDigit(clockEnd) { clockEnd += 1 }
            if clockEnd - index <= 2, clockEnd + 2 < codes.count, codes[clockEnd] == UInt8(ascii: ":"),
                isDigit(clockEnd + 1), isDigit(clockEnd + 2)
            {
                index = clockEnd + 3
                while index < codes.count, codes[index] == UInt8(ascii: ":") { index += 3 }
                continue
            }
            let negative =
                index > 0 && codes[index - 1] == UInt8(ascii: "-")
                && (index < 2 || !(isDigit(index - 2) || isLetter(codes[index - 2])))
            var digits: [UInt8] = []
            var hasPoint = false
            var end = index
            while end < codes.count {
                let next = codes[end]
                if isDigit(end) {
                    digits.append(next)
                } else if next == UInt8(ascii: ","), end + 3 < codes.count, !hasPoint,
                    (end + 1...end + 3).allSatisfy(isDigit)
                {
                    // a thousands separator: exactly three digits follow
                } else if next == UInt8(ascii: "."), end + 1 < codes.count, isDigit(end + 1), !hasPoint {
                    digits.append(next)
                    hasPoint = true
                } else {
                    break
                }
                end += 1
            }
            if let value = Double(String(decoding: digits, as: UTF8.self)) { found.append(negative ? -value : value) }
            index = max(end, index + 1)
        }
        return found
    }
}
