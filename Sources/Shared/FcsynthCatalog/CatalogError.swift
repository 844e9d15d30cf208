import FcsynthCore

/// A catalog file that cannot be used at all: no entry goes through.
public enum CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// With the line and column of the syntax error.
    case yamlSyntax(file: String, line: Int, column: Int, reason: String)
    case notACatalog(file: String, reason: String)
    case noUsableFunction(file: String, problems: [CatalogProblem])
    case badWeight(name: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read the catalog: \(reason)"
        case .yamlSyntax(let file, let line, let column, let reason):
            "\(file): line \(line), column \(column): YAML syntax error: \(reason)"
        case .notACatalog(let file, let reason):
            "\(file): not a tool catalog: \(reason)"
        case .noUsableFunction(let file, let problems):
            "\(file): no usable function in the catalog"
                + (problems.isEmpty ? "" : ": " + problems.prefix(5).map(\.description).joined(separator: "; "))
        case .badWeight(let name, let reason):
            "--tool-weight \(name): \(reason)"
        }
    }
}
