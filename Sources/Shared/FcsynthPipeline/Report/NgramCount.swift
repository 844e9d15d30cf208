/// The word n-grams of a dataset's user messages: how many differ, of how many in all.
public struct NgramCount: Codable, Sendable, Hashable {
    public var n: Int
    public var distinct: Int
    public var total: Int
    /// distinct / total: the distinct-n figure.
    public var share: Double

    init(n: Int, distinct: Int, total: Int) {
        self.n = n
        self.distinct = distinct
        self.total = total
        share = total == 0 ? 0 : Double(distinct) / Double(total)
    }
}
