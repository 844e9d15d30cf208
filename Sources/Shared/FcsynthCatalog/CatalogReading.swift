import FcsynthCore

/// A catalog as read: the usable functions, and the entries that were not, each by its path.
public struct CatalogReading: Sendable, Hashable {
    public var catalog: ToolCatalog
    public var problems: [CatalogProblem]

    public init(catalog: ToolCatalog, problems: [CatalogProblem]) {
        self.catalog = catalog
        self.problems = problems
    }
}
