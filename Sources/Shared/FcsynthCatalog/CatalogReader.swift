import FcsynthCore
import Foundation

/// Reads a tool catalog the user brings, in the forms teams keep their APIs in:
/// - an OpenAI `tools` array (`{"type": "function", "function": {...}}`, or bare functions),
///   in one JSON document or one per line (JSON Lines);
/// - an OpenAPI 3 document, in JSON or YAML: each operation a function.
///
/// The form is told by the content, not the file name. Every function is held to the schema
/// subset records use (`FunctionValidator`); an entry that falls outside it, or lacks what a
/// function needs, is reported by its path, and the other entries go through.
public enum CatalogReader {
    public static func read(path: String, weights: [String: Double] = [:]) throws(CatalogError) -> CatalogReading {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(Array(data), fileName: URL(fileURLWithPath: path).lastPathComponent, weights: weights)
    }

    public static func parse(
        _ bytes: [UInt8], fileName: String, weights: [String: Double] = [:]
    ) throws(CatalogError) -> CatalogReading {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: fileName, reason: "it is not UTF-8 text")
        }
        let entries: [CatalogEntry]
        let form: String
        if let document = JSONParser.parse(bytes) {
            (entries, form) = try Self.entries(ofDocument: document, fileName: fileName)
        } else if let lines = Self.jsonLines(text) {
            (entries, form) = (lines, "OpenAI tools, JSON Lines")
        } else {
            (entries, form) = try Self.entries(
                ofDocument: try YAMLDocument.value(of: text, file: fileName), fileName: fileName)
        }
        return try Self.reading(entries, source: "\(fileName) (\(form))", fileName: fileName, weights: weights)
    }

    private static func entries(
        ofDocument document: JSONValue, fileName: String
    ) throws(CatalogError) -> ([CatalogEntry], String) {
        switch document {
        case .array(let tools):
            return (tools.enumerated().map { OpenAITools.entry($1, at: JSONPath.index("$", $0)) }, "OpenAI tools")
        case .object(let fields):
            if let version = fields["openapi"]?.stringValue {
                guard version.hasPrefix("3.") else {
                    throw .notACatalog(file: fileName, reason: "OpenAPI \(version) is not supported; use OpenAPI 3")
                }
                return (OpenAPIDocument(document).entries(), "OpenAPI \(version)")
            }
            if fields["swagger"] != nil {
                throw .notACatalog(
                    file: fileName,
                    reason:
                        "Swagger 2.0 is not supported; convert it to OpenAPI 3 first (swagger2openapi, or editor.swagger.io)"
                )
            }
            if let tools = fields["tools"]?.arrayValue {
                return (
                    tools.enumerated().map { OpenAITools.entry($1, at: JSONPath.index("$.tools", $0)) }, "OpenAI tools"
                )
            }
            if fields["function"] != nil || fields["name"] != nil {
                return ([OpenAITools.entry(document, at: "$")], "OpenAI tools")
            }
            throw .notACatalog(
                file: fileName, reason: "expected an OpenAI tools array or an OpenAPI 3 document (an \"openapi\" field)"
            )
        default:
            throw .notACatalog(file: fileName, reason: "expected a JSON array or object, got \(document.typeName)")
        }
    }

    /// One tool, or an array of tools, per line; nil unless at least one line is JSON, so that
    /// YAML is not mistaken for JSON Lines with every line bad.
    private static func jsonLines(_ text: String) -> [CatalogEntry]? {
        var entries: [CatalogEntry] = []
        var parsedAny = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let path = "line \(index + 1)"
            switch JSONParser.parse(trimmed) {
            case .array(let tools)?:
                parsedAny = true
                entries += tools.enumerated().map { OpenAITools.entry($1, at: "\(path)[\($0)]") }
            case let value?:
                parsedAny = true
                entries.append(OpenAITools.entry(value, at: path))
            case nil:
                entries.append(.problem(CatalogProblem(path: path, message: "not valid JSON")))
            }
        }
        return parsedAny ? entries : nil
    }

    private static func reading(
        _ entries: [CatalogEntry], source: String, fileName: String, weights: [String: Double]
    ) throws(CatalogError) -> CatalogReading {
        var functions: [FunctionDefinition] = []
        var problems: [CatalogProblem] = []
        var declared: [String: String] = [:]
        for entry in entries {
            switch entry {
            case .problem(let problem):
                problems.append(problem)
            case .function(let function, let path):
                // Checked alone, the function is `$[0]`; its paths then read from the function, `$.parameters…`.
                let violations = FunctionValidator.validate(functions: [function], at: "$").map {
                    "$" + $0.path.dropFirst("$[0]".count) + ": " + $0.message
                }
                if !violations.isEmpty {
                    problems.append(
                        CatalogProblem(
                            path: path,
                            message: "function \"\(function.name)\": " + violations.joined(separator: "; ")))
                } else if let earlier = declared[function.name] {
                    problems.append(
                        CatalogProblem(
                            path: path, message: "function \"\(function.name)\" is already declared at \(earlier)"))
                } else {
                    declared[function.name] = path
                    functions.append(function)
                }
            }
        }
        guard !functions.isEmpty else { throw .noUsableFunction(file: fileName, problems: problems) }
        for (name, weight) in weights.sorted(by: { $0.key < $1.key }) {
            guard declared[name] != nil else { throw .badWeight(name: name, reason: "no such function in the catalog") }
            guard weight.isFinite, weight > 0 else { throw .badWeight(name: name, reason: "a weight must be above 0") }
        }
        return CatalogReading(
            catalog: ToolCatalog(functions: functions, weights: weights, source: source), problems: problems)
    }
}
