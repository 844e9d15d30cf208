import FcsynthCore

/// One entry of a catalog file: a function as read, with its path, or why it could not be read.
enum CatalogEntry {
    case function(FunctionDefinition, path: String)
    case problem(CatalogProblem)
}
