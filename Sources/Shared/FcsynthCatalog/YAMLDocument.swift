import FcsynthCore
import Foundation
import Yams

/// A YAML document as the JSON value it denotes, for OpenAPI files written in YAML.
enum YAMLDocument {
    static func value(of text: String, file: String) throws(CatalogError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw .notACatalog(file: file, reason: "\(error)")
        }
        guard let node else { throw .notACatalog(file: file, reason: "the YAML document is empty") }
        return Self.json(node)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> CatalogError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let reason = [context?.description, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                separator: ": ")
            return .yamlSyntax(file: file, line: mark.line, column: mark.column, reason: reason)
        default:
            return .yamlSyntax(file: file, line: 0, column: 0, reason: "\(error)")
        }
    }

    /// Plain scalars take their YAML 1.1 core types (a bare `3.0.3` stays a string); quoted ones stay strings.
    private static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            if let bool = Bool.construct(from: scalar) { return .bool(bool) }
            if let integer = Int.construct(from: scalar) { return .number(Double(integer)) }
            if let number = Double.construct(from: scalar), number.isFinite { return .number(number) }
            if NSNull.construct(from: scalar) != nil { return .null }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                object[key.string ?? key.scalar?.string ?? "\(key)"] = json(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .alias:
            return .null
        }
    }
}
