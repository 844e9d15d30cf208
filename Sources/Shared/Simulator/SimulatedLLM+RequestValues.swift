extension SimulatedLLM {
    /// Reads argument values back out of a user request the simulator wrote, by the slot
    /// vocabulary its templates were filled from.
    enum RequestValues {
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
            for name in ["passenger_name", "guest_name", "buyer_name", "recipient_name", "account_holder", "owner", "name"] {
                sources[name] = Source(slots: ["person"])
            }
            sources["tracking_number"] = Source(slots: ["tracking"])
            sources["symbol"] = Source(slots: ["ticker", "ticker2"])
            sources["cuisine"] = Source(slots: ["cuisine"])
            sources["genre"] = Source(slots: ["genre"])
            sources["query"] = Source(slots: ["dish"])
            return sources
        }()

        private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]

        static func value(for parameter: String, in request: String) -> JSONValue? {
            guard let source = sources[parameter] else { return nil }
            var found: [(value: String, at: Int)] = []
            for slot in source.slots {
                for value in SimulatedLLM.slots[slot] ?? [] {
                    if let offset = request.utf8Offset(of: value) { found.append((value, offset)) }
                }
            }
            found.sort { $0.at < $1.at }
            guard let value = source.second && found.count > 1 ? found[1].value : found.first?.value else { return nil }
            return .string(source.slots == ["date"] ? isoDate(value) : value)
        }

        /// "3 May 2025" as "2025-05-03".
        private static func isoDate(_ text: String) -> String {
            let parts = text.split(separator: " ")
            guard parts.count == 3, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])) else { return text }
            return "\(parts[2])-\(month < 9 ? "0" : "")\(month + 1)-\(day < 10 ? "0" : "")\(day)"
        }
    }
}
