import FcsynthCore

/// The kinds of string the generator can make up, chosen by a property's `format` or name.
package enum StringShape: CaseIterable {
    case email, url, phone, dateTime, date, time, airport, city, country, address, currency, language,
        hotel, restaurant, product, company, identifier, code, personName, query, status, title,
        text, category, unit, word

    /// The name words that select each shape, tried in this order: `city_name` is a city, not a person.
    private static let rules: [(shape: StringShape, words: Set<String>)] = [
        (.email, ["email", "mail"]),
        (.url, ["url", "link", "website", "uri", "href"]),
        (.phone, ["phone", "mobile", "tel", "telephone"]),
        (.dateTime, ["datetime", "timestamp"]),
        (.date, ["date", "day", "birthday", "deadline", "checkin", "checkout", "dob"]),
        (.time, ["time", "hour"]),
        (.airport, ["iata", "airport"]),
        (.currency, ["currency"]),
        (.language, ["language", "lang", "locale"]),
        (.code, ["code", "sku", "zip", "postal", "postcode"]),
        (.city, ["city", "destination", "origin", "location", "town"]),
        (.country, ["country", "nation"]),
        (.address, ["address", "street"]),
        (.hotel, ["hotel"]),
        (.restaurant, ["restaurant"]),
        (.product, ["product", "item"]),
        (.company, ["company", "airline", "brand", "organization", "vendor"]),
        (.identifier, ["id", "uuid", "identifier", "ref", "reference", "confirmation"]),
        (
            .personName,
            ["name", "username", "user", "author", "customer", "recipient", "passenger", "guest", "contact", "owner"]
        ),
        (.query, ["query", "search", "keyword", "keywords", "term", "q", "question", "prompt", "topic"]),
        (.status, ["status", "state"]),
        (.title, ["title", "subject", "headline"]),
        (
            .text,
            [
                "description", "text", "message", "content", "body", "note", "notes", "comment", "summary", "review",
                "reason", "details", "answer", "result",
            ]
        ),
        (.category, ["category", "type", "genre", "cuisine", "kind", "class", "mode", "priority", "level"]),
        (.unit, ["unit", "units", "system"]),
        (.city, ["from", "to"]),
    ]

    package static func matching(format: String?, words: [String]) -> StringShape? {
        switch format {
        case "email": return .email
        case "uri", "url": return .url
        case "date": return .date
        case "date-time": return .dateTime
        case "time": return .time
        case "uuid": return .identifier
        default: break
        }
        if words.contains("date"), words.contains("time") { return .dateTime }
        return rules.first { rule in words.contains(where: rule.words.contains) }?.shape
    }

    package func sample(using random: inout SplitMix64) -> String {
        func pick(_ words: [String]) -> String { words[Int.random(in: 0..<words.count, using: &random)] }
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
        }
        switch self {
        case .email: return "\(pick(Self.firstNames).lowercased()).\(pick(Self.lastNames).lowercased())@example.com"
        case .url: return "https://www.example.com/\(pick(Self.nouns))/\(digits(4))"
        case .phone: return "+1-555-\(digits(3))-\(digits(4))"
        case .dateTime: return "\(date(using: &random))T\(time(using: &random)):00Z"
        case .date: return date(using: &random)
        case .time: return time(using: &random)
        case .airport: return pick(["CDG", "HND", "JFK", "LHR", "BER", "MAD", "YYZ", "SYD", "ICN", "ORD"])
        case .city: return pick(Self.cities)
        case .country: return pick(Self.countries)
        case .address: return "\(Int.random(in: 1...999, using: &random)) \(pick(Self.streets))"
        case .currency: return pick(["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF"])
        case .language: return pick(["en", "fr", "de", "es", "it", "ja", "pt"])
        case .hotel: return "\(pick(Self.lastNames)) \(pick(["Grand Hotel", "Inn", "Suites", "Plaza Hotel", "Lodge"]))"
        case .restaurant:
            return
                "\(pick(["The", "Little", "Old", "Blue"])) \(pick(["Olive", "Lantern", "Harbor", "Garden", "Oak"])) \(pick(["Bistro", "Kitchen", "Trattoria", "Grill"]))"
        case .product:
            return
                "\(pick(["Compact", "Wireless", "Classic", "Portable", "Pro"])) \(pick(["Headphones", "Backpack", "Coffee Maker", "Desk Lamp", "Blender", "Camera"]))"
        case .company: return "\(pick(Self.lastNames)) \(pick(["Airlines", "Labs", "Group", "Logistics", "Systems"]))"
        case .identifier: return "\(pick(["ID", "ORD", "BK", "TX", "REF"]))-\(digits(6))"
        case .code: return "\(pick(["AB", "QX", "LM", "ZT", "KR"]))\(digits(3))"
        case .personName: return "\(pick(Self.firstNames)) \(pick(Self.lastNames))"
        case .query: return "\(pick(Self.adjectives)) \(pick(Self.nouns)) near \(pick(Self.cities))"
        case .status: return pick(["active", "pending", "confirmed", "completed", "cancelled"])
        case .title: return "\(pick(Self.adjectives).capitalized) \(pick(Self.nouns).capitalized) Guide"
        case .text: return "The \(pick(Self.adjectives)) \(pick(Self.nouns)) is available in \(pick(Self.cities))."
        case .category: return pick(["standard", "premium", "basic", "economy", "general", "italian", "outdoor"])
        case .unit: return pick(["metric", "imperial", "celsius", "fahrenheit"])
        case .word: return "\(pick(Self.adjectives)) \(pick(Self.nouns))"
        }
    }

    /// Padding for strings shorter than `minLength`: whole plausible words rather than filler letters.
    package static func filler(using random: inout SplitMix64) -> String {
        nouns[Int.random(in: 0..<nouns.count, using: &random)]
    }

    private func date(using random: inout SplitMix64) -> String {
        let month = Int.random(in: 1...12, using: &random)
        let day = Int.random(in: 1...28, using: &random)
        return "20\(Int.random(in: 24...26, using: &random))-\(twoDigits(month))-\(twoDigits(day))"
    }

    private func time(using random: inout SplitMix64) -> String {
        "\(twoDigits(Int.random(in: 6...22, using: &random))):\(twoDigits(15 * Int.random(in: 0...3, using: &random)))"
    }

    private func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    private static let cities = [
        "Paris", "Tokyo", "New York", "London", "Berlin", "Madrid", "Toronto", "Sydney", "Seoul", "Chicago", "Lisbon",
        "Boston",
    ]
    private static let countries = [
        "France", "Japan", "Canada", "Germany", "Spain", "Australia", "Brazil", "Italy", "Mexico", "Norway",
    ]
    private static let streets = ["Main Street", "Oak Avenue", "Maple Road", "Elm Street", "Park Lane", "River Drive"]
    private static let firstNames = [
        "Alice", "Bruno", "Chen", "Daria", "Emeka", "Fatima", "George", "Hana", "Ivan", "Julia",
    ]
    private static let lastNames = [
        "Smith", "Garcia", "Tanaka", "Muller", "Okafor", "Rossi", "Nguyen", "Silva", "Kowalski", "Brown",
    ]
    private static let adjectives = [
        "quiet", "affordable", "modern", "family", "vegan", "historic", "popular", "nearby",
    ]
    private static let nouns = [
        "restaurant", "museum", "hotel", "park", "bakery", "gallery", "concert", "library", "market",
    ]
}
