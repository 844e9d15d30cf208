/// The small set of normalisations under which a value counts as the same value as text
/// that holds it. Kept small on purpose (docs/stages.md lists them): case, spacing and
/// punctuation; a date or a time written another way; a number with its unit, currency sign
/// or thousands separators; a number written in words up to ninety-nine; a date relative to one
/// the conversation states; a currency sign or a language name for its code.
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

    /// Every full date the (normalised) text states: with a month name ("5 april 2025",
    /// "april 5 2025", "5 th of april 2025"), or as day, month and four-digit year in
    /// numbers ("22 05 2025", read day first).
    static func statedDays(in normalized: String) -> [StatedDay] {
        let words = normalized.split(separator: " ")
        var found: [StatedDay] = []
        for (index, word) in words.enumerated() {
            if let month = months.firstIndex(where: { $0 == word || $0.prefix(3) == word }) {
                let before = words[max(0, index - 3)..<index].reversed().compactMap { Int($0) }.first
                let after = words[(index + 1)..<min(words.count, index + 4)].compactMap { Int($0) }
                if let year = after.first(where: { $0 >= 1900 }), let day = before ?? after.first(where: { $0 <= 31 }),
                    let stated = StatedDay(year: year, month: month + 1, day: day)
                {
                    found.append(stated)
                }
            } else if index >= 2, word.count == 4, let year = Int(word), year >= 1900,
                let month = Int(words[index - 1]),
                let day = Int(words[index - 2]), let stated = StatedDay(year: year, month: month, day: day)
            {
                found.append(stated)
            } else if index + 2 < words.count, word.count == 4, let year = Int(word), year >= 1900,
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
        var found: [Double] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character.isASCII, character.isNumber else {
                index += 1
                continue
            }
            // A clock time ("10:00", "18:45:30") is a time, not figures: its variants trace it.
            var clockEnd = index
            while clockEnd < characters.count, characters[clockEnd].isASCII, characters[clockEnd].isNumber {
                clockEnd += 1
            }
            if clockEnd - index <= 2, clockEnd + 2 < characters.count, characters[clockEnd] == ":",
                characters[clockEnd + 1].isASCII, characters[clockEnd + 1].isNumber,
                characters[clockEnd + 2].isASCII, characters[clockEnd + 2].isNumber
            {
                index = clockEnd + 3
                while index < characters.count, characters[index] == ":" {
                    index += 3
                }
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
        let words = normalized(text).split(separator: " ").map(String.init)
        for (index, word) in words.enumerated() {
            if let value = numberWords.firstIndex(of: word) {
                found.append(Double(value))
            } else if let tens = tensWords.firstIndex(of: word) {
                let value = Double(20 + tens * 10)
                found.append(value)
                if index + 1 < words.count, let unit = numberWords.firstIndex(of: words[index + 1]),
                    (1...9).contains(unit)
                {
                    found.append(value + Double(unit))
                }
            } else if let value = quantityWords[word] {
                found.append(value)
            } else if ["a", "an", "per", "past", "last", "next", "every"].contains(word), index + 1 < words.count,
                unitWords.contains(words[index + 1])
            {
                found.append(1)
            }
        }
        return found
    }
}
