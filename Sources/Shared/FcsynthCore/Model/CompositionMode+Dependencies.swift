extension CompositionMode {
    /// The steps (0-based) whose results step `index` of `count` needs: a sequential chain ties
    /// each step to the one before; parallel-then-sequential runs all but the last side by side,
    /// and the last after them all.
    public func prerequisites(ofStep index: Int, count: Int) -> [Int] {
        switch self {
        case .sequential: index == 0 ? [] : [index - 1]
        case .paraSeq: index == count - 1 ? Array(0..<index) : []
        }
    }
}
