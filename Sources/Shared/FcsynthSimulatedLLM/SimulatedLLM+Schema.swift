import FcsynthCore

extension SimulatedLLM {
    /// A compact way to write the simulated functions' JSON Schemas.
    package struct Field {
        package indirect enum Kind {
            case string, number, integer, boolean
            case choice([String])
            case list(Kind)
            case record([Field])
        }

        package var name: String
        package var kind: Kind
        package var description: String
        package var required = true

        package static func string(_ name: String, _ description: String, required: Bool = true) -> Field {
            Field(name: name, kind: .string, description: description, required: required)
        }

        package static func number(_ name: String, _ description: String, required: Bool = true) -> Field {
            Field(name: name, kind: .number, description: description, required: required)
        }

        package static func integer(_ name: String, _ description: String, required: Bool = true) -> Field {
            Field(name: name, kind: .integer, description: description, required: required)
        }

        package static func boolean(_ name: String, _ description: String, required: Bool = true) -> Field {
            Field(name: name, kind: .boolean, description: description, required: required)
        }

        package static func choice(
            _ name: String, _ options: [String], _ description: String, required: Bool = true
        ) -> Field {
            Field(name: name, kind: .choice(options), description: description, required: required)
        }

        package static func list(_ name: String, of kind: Kind, _ description: String, required: Bool = true) -> Field {
            Field(name: name, kind: .list(kind), description: description, required: required)
        }

        package static func records(_ name: String, _ fields: [Field], _ description: String) -> Field {
            Field(name: name, kind: .list(.record(fields)), description: description)
        }
    }

    package static func function(
        _ name: String, _ description: String, parameters: [Field], returns: [Field]
    ) -> FunctionDefinition {
        FunctionDefinition(
            name: name, description: description, parameters: objectSchema(parameters), responses: objectSchema(returns)
        )
    }

    package static func objectSchema(_ fields: [Field], description: String? = nil) -> JSONValue {
        var keywords: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(
                Dictionary(
                    uniqueKeysWithValues: fields.map { ($0.name, schema(for: $0.kind, description: $0.description)) })),
            "required": .array(fields.filter(\.required).map { .string($0.name) }),
        ]
        if let description { keywords["description"] = .string(description) }
        return .object(keywords)
    }

    private static func schema(for kind: Field.Kind, description: String?) -> JSONValue {
        var schema: [String: JSONValue]
        switch kind {
        case .string: schema = ["type": .string("string")]
        case .number: schema = ["type": .string("number")]
        case .integer: schema = ["type": .string("integer")]
        case .boolean: schema = ["type": .string("boolean")]
        case .choice(let options): schema = ["type": .string("string"), "enum": .array(options.map(JSONValue.string))]
        case .list(let element):
            schema = ["type": .string("array"), "items": Self.schema(for: element, description: nil)]
        case .record(let fields): return objectSchema(fields, description: description)
        }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }
}
