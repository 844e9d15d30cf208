/// Typical ranges for numbers, by what their name says, before the schema's bounds apply.
package enum NumberHint {
    private static let ranges: [(words: Set<String>, range: ClosedRange<Double>)] = [
        (["lat", "latitude"], -90...90),
        (["lon", "lng", "long", "longitude"], -180...180),
        (["year"], 2020...2026),
        (["month"], 1...12),
        (["age"], 18...80),
        (["rating", "score", "stars"], 1...5),
        (["temperature", "temp"], -10...35),
        (["probability", "confidence"], 0...1),
        (["percent", "percentage", "discount"], 0...50),
        (["price", "amount", "cost", "budget", "total", "fare", "fee", "salary", "balance"], 5...500),
        (["page"], 1...5),
        (["minutes", "duration"], 5...120),
        (["hours"], 1...24),
        (["distance", "radius", "km", "miles"], 1...50),
        (
            [
                "count", "limit", "quantity", "number", "num", "max", "size", "guests", "passengers", "adults",
                "children", "nights", "days", "people", "seats", "rooms", "results", "top",
            ], 1...10
        ),
    ]

    package static func range(for words: [String]) -> ClosedRange<Double>? {
        ranges.first { entry in words.contains(where: entry.words.contains) }?.range
    }
}
