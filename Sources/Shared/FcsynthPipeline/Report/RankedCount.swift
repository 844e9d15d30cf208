/// One bar of a report figure: a name (a reason, a check, a function, a number of calls) and
/// how many records or items it counts.
public struct RankedCount: Codable, Sendable, Hashable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }

    /// Most first, then by name, so that equal counts keep one order everywhere.
    static func ranked(_ counts: [String: Int], limit: Int? = nil) -> [RankedCount] {
        let sorted = counts.map { RankedCount(name: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name
        }
        return limit.map { Array(sorted.prefix($0)) } ?? sorted
    }

    /// A histogram of small whole numbers, in their order, with the empty ones between left in.
    static func histogram(_ counts: [Int: Int]) -> [RankedCount] {
        guard let low = counts.keys.min(), let high = counts.keys.max() else { return [] }
        return (low...high).map { RankedCount(name: String($0), count: counts[$0] ?? 0) }
    }
}
