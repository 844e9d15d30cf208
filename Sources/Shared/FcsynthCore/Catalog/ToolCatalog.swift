/// The functions a user brings (catalog mode): conversations call these instead of functions
/// the function generator designs. Kept in the run's settings, so that every worker, wherever
/// it starts, composes over the same catalog.
public struct ToolCatalog: Codable, Sendable, Hashable {
    /// In the order the file lists them; names are unique.
    public var functions: [FunctionDefinition]
    /// Each function's relative share of the items that lead with it; a function not named weighs 1.
    public var weights: [String: Double]
    /// Where the catalog came from, as records and the export meta name it: the file and its form.
    public var source: String

    public init(functions: [FunctionDefinition], weights: [String: Double] = [:], source: String) {
        self.functions = functions
        self.weights = weights
        self.source = source
    }

    public func function(named name: String) -> FunctionDefinition? {
        functions.first { $0.name == name }
    }

    public func weight(of name: String) -> Double {
        weights[name] ?? 1
    }
}
