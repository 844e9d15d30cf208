/// Durations as systemd ("60", "60s", "1min 30s") and Compose ("60s", "1m30s") write them.
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0.0
        var rest = Substring(text.filter { !$0.isWhitespace })
        guard !rest.isEmpty else { return nil }
        if let plain = Double(rest) { return plain }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            total += value * factor
            rest = rest.dropFirst(unit.count)
        }
        return total
    }
}
