import FcsynthCore

extension MinHashSignature {
    /// The sketch of an item's function set: one shingle per function name, and one per
    /// parameter, `NAME(PARAM: TYPE)`, tied to its function so that two sets share it only
    /// when a function of the same name takes the same parameter. Descriptions are left out:
    /// they are prose, and what a conversation can call is the names and their arguments.
    /// Nil for no functions.
    package init?(functions: [FunctionDefinition]) {
        let shingles = Self.functionShingles(functions)
        guard !shingles.isEmpty else { return nil }
        self.init(shingles: shingles, canonical: shingles.sorted().joined(separator: "\n"))
    }

    /// The shingles of `functions`; a parameter without a `type` is written `any`, one of several
    /// types as their sorted names joined by `|`.
    package static func functionShingles(_ functions: [FunctionDefinition]) -> Set<String> {
        var shingles = Set<String>()
        for function in functions {
            shingles.insert(function.name)
            guard case .object(let schema) = function.parameters, case .object(let properties)? = schema["properties"]
            else { continue }
            for (parameter, definition) in properties {
                var type = "any"
                if case .object(let fields) = definition {
                    switch fields["type"] {
                    case .string(let named)?: type = named
                    case .array(let named)?: type = named.compactMap(\.stringValue).sorted().joined(separator: "|")
                    default: break
                    }
                }
                shingles.insert("\(function.name)(\(parameter): \(type))")
            }
        }
        return shingles
    }
}
