/// An item and the later items whose function sets function_gen designed near its own: kept,
/// all of them (only composition tasks are filtered), and shown so that users can judge how
/// varied the run's functions are.
public struct FunctionSetCluster: Codable, Sendable, Hashable {
    public var original: String
    /// The original's function names, sorted, when the report found its record.
    public var functions: [String]?
    /// The items whose set is near the original's, from the records and the filtered list.
    public var repeats: [String]

    package enum CodingKeys: String, CodingKey {
        case original, functions, repeats
    }
}
