/// Why sampled items were filtered or died, grouped and ranked: what a user must fix before
/// paying for the whole file.
public struct RemovalReason: Codable, Sendable, Hashable {
    /// The stage and the reason's head (`judge: scored below 3`), without the item's details.
    public var kind: String
    public var count: Int
    /// One full reason of that kind.
    public var example: String

    public init(kind: String, count: Int, example: String) {
        self.kind = kind
        self.count = count
        self.example = example
    }

    /// Most frequent first, then by kind; at most `limit`.
    public static func ranked(_ items: [RemovedItem], limit: Int = 5) -> [RemovalReason] {
        var byKind: [String: RemovalReason] = [:]
        for item in items {
            let kind = Self.kind(stage: item.stage, reason: item.reason)
            byKind[kind, default: RemovalReason(kind: kind, count: 0, example: String(item.reason.prefix(300)))]
                .count += 1
        }
        return byKind.values.sorted { ($1.count, $0.kind) < ($0.count, $1.kind) }.prefix(limit).map { $0 }
    }

    /// Reasons read `STAGE: what: details`: the details name the item, the head does not.
    static func kind(stage: String, reason: String) -> String {
        var rest = Substring(reason)
        if rest.hasPrefix("\(stage): ") { rest = rest.dropFirst(stage.count + 2) }
        let head = rest.range(of: ": ").map { rest[..<$0.lowerBound] } ?? rest
        return "\(stage): \(head.prefix(120))"
    }
}
