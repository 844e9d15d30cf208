extension ToolCatalog {
    /// The longest schedule: past it, weights are rounded coarser rather than the schedule grown.
    package static let maxScheduleLength = 10_000

    /// The functions in the order items take them as their lead, one turn each: every function
    /// at least once, each about as often as its weight says, interleaved so
    /// that any stretch of items is spread like the whole.
    public var leadSchedule: [String] {
        guard let lightest = functions.map({ weight(of: $0.name) }).min(), lightest > 0 else { return [] }
        let total = functions.reduce(0) { $0 + weight(of: $1.name) / lightest }
        let scale = min(1, Double(Self.maxScheduleLength) / max(total, 1))
        let turns = functions.map { max(1, Int((weight(of: $0.name) / lightest * scale).rounded())) }
        // Each function's turns spread evenly over [0, 1), merged in order of position.
        var slots: [(position: Double, index: Int)] = []
        slots.reserveCapacity(turns.reduce(0, +))
        for (index, count) in turns.enumerated() {
            for turn in 0..<count { slots.append(((Double(turn) + 0.5) / Double(count), index)) }
        }
        slots.sort { $0.position != $1.position ? $0.position < $1.position : $0.index < $1.index }
        return slots.map { functions[$0.index].name }
    }
}
