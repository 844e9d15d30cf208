import FcsynthCore

extension SimulatedLLM {
    /// Reads argument values back out of a user request the simulator wrote, by the slot
    /// vocabulary its templates were filled from.
    package enum RequestValues {
        /// Where a parameter's value comes from: the slots whose values it takes, and whether
        /// the second value found (a destination after an origin) rather than the first.
        private struct Source {
            var slots: [String]
            var second = false
        }

        private static let cities = ["city", "city2"]
        private static let sources: [String: Source] = {
            var sources: [String: Source] = [:]
            for name in ["city", "origin", "city_a"] { sources[name] = Source(slots: cities) }
            for name in ["destination", "city_b"] { sources[name] = Source(slots: cities, second: true) }
            for name in ["date", "check_in", "delivery_date"] { sources[name] = Source(slots: ["date"]) }
            for name in [
                "passenger_name", "guest_name", "buyer_name", "recipient_name", "account_holder", "owner", "name",
            ] {
                sources[name] = Source(slots: ["person"])
            }
            sources["tracking_number"] = Source(slots: ["tracking"])
            sources["symbol"] = Source(slots: ["ticker", "ticker2"])
            sources["cuisine"] = Source(slots: ["cuisine"])
            sources["genre"] = Source(slots: ["genre"])
            sources["query"] = Source(slots: ["dish"])
            return sources
        }()

        private static let months = [
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        ]

        /// Integer parameters that take the head count the request names.
        private static let counts: Set<String> = ["party_size", "guests", "quantity", "servings"]

        /// Currency names the templates use, with their ISO 4217 codes.
        private static let currencies = ["euros": "EUR", "US dollars": "USD"]

        package static func value(for parameter: String, in request: TextSearch) -> JSONValue? {
            if counts.contains(parameter) { return headCount(in: request.text).map { .number(Double($0)) } }
            if parameter == "base" || parameter == "target" { return currency(parameter == "target", in: request) }
            guard let source = sources[parameter], let value = mention(for: parameter, in: request) else { return nil }
            return .string(source.slots == ["date"] ? isoDate(value) : value)
        }

        /// The words of the request that give the parameter's value, as written ("2 May 2025",
        /// not the ISO date the argument takes); nil for a parameter read otherwise or not given.
        package static func mention(for parameter: String, in request: TextSearch) -> String? {
            guard let source = sources[parameter] else { return nil }
            var found: [(value: String, at: Int)] = []
            for slot in source.slots {
                for value in SimulatedLLM.slots[slot] ?? [] {
                    if let offset = request.offset(of: value) { found.append((value, offset)) }
                }
            }
            found.sort { $0.at < $1.at }
            return source.second && found.count > 1 ? found[1].value : found.first?.value
        }

        /// The code of the first currency the request names, or of the second for `second`.
        private static func currency(_ second: Bool, in request: TextSearch) -> JSONValue? {
            let named = currencies.compactMap { name, code in request.offset(of: name).map { (code, $0) } }
                .sorted { $0.1 < $1.1 }
            let index = second ? 1 : 0
            return index < named.count ? .string(named[index].0) : nil
        }

        /// "3 May 2025" as "2025-05-03".
        private static func isoDate(_ text: String) -> String {
            let parts = text.split(separator: " ")
            guard parts.count == 3, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])) else {
                return text
            }
            return "\(parts[2])-\(month < 9 ? "0" : "")\(month + 1)-\(day < 10 ? "0" : "")\(day)"
        }

        /// Words after a number that make it something other than a head count.
        private static let units: Set<String> = ["km", "kg", "g", "am", "pm", "percent", "days", "minutes"]

        /// The first small number in the request that counts people or things ("for 4", "serves 6"),
        /// not a date, a time or a measure.
        private static func headCount(in request: String) -> Int? {
            let words = request.split(separator: " ").map { String($0.filter { !$0.isPunctuation }) }
            for (index, word) in words.enumerated() {
                guard let number = Int(word), (2...12).contains(number) else { continue }
                let next = index + 1 < words.count ? words[index + 1] : ""
                if months.contains(next) || units.contains(next) { continue }
                return number
            }
            return nil
        }
    }
}
