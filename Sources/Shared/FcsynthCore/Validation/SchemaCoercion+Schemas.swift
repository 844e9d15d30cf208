extension SchemaCoercion {
    /// The keywords whose values must be instances of the schema's own `type`.
    package static let valueKeywords: Set<String> = ["default", "const"]
    /// The keywords that list such instances.
    package static let valueListKeywords: Set<String> = ["enum", "examples"]

    /// Fixes a function's schema (its `parameters` or `responses`) so that the values it names
    /// are of the types it declares: a `default`, `const`, `enum` member or `examples` member of
    /// another type is converted where nothing is lost (`"10"` for an integer, `1` for a string,
    /// `"true"` for a boolean) and dropped where no conversion fits (no argument could have taken
    /// it; an `enum` left empty is dropped whole). A one-element `type` list becomes the type
    /// name. Nested schemas (`properties`, `items`, `anyOf`) are fixed too; each fix is counted.
    ///
    /// Besides sparing a correction round, this keeps one parameter's values of one JSON type
    /// across a run's functions wherever the functions agree on the type, which is what a
    /// columnar reader of the export (Arrow, behind Hugging Face `datasets`) needs.
    public static func coercedSchema(_ schema: JSONValue) -> (schema: JSONValue, repairs: [ReplyRepair]) {
        var repairs: [ReplyRepair] = []
        let result = coerceSchema(schema, &repairs)
        return (result, repairs)
    }

    private static func coerceSchema(_ schema: JSONValue, _ repairs: inout [ReplyRepair]) -> JSONValue {
        guard case .object(var keywords) = schema else { return schema }
        if case .array(let names) = keywords["type"], names.count == 1, case .string = names[0] {
            keywords["type"] = names[0]
            repairs.append(.schemaTypeUnwrapped)
        }
        if case .object(var properties) = keywords["properties"] {
            for (name, property) in properties {
                properties[name] = coerceSchema(property, &repairs)
            }
            keywords["properties"] = .object(properties)
        }
        if let items = keywords["items"] {
            keywords["items"] = coerceSchema(items, &repairs)
        }
        if case .array(let alternatives) = keywords["anyOf"] {
            keywords["anyOf"] = .array(alternatives.map { coerceSchema($0, &repairs) })
        }
        guard let types = SchemaType.declared(by: keywords) else { return .object(keywords) }
        for keyword in valueKeywords.sorted() {
            guard let value = keywords[keyword] else { continue }
            keywords[keyword] = fitted(value, to: types, &repairs)
        }
        for keyword in valueListKeywords.sorted() {
            // A list keyword that is not a list is the validator's to report.
            guard case .array(let members) = keywords[keyword] else { continue }
            let kept = members.compactMap { fitted($0, to: types, &repairs) }
            keywords[keyword] = kept.isEmpty ? nil : .array(kept)
        }
        return .object(keywords)
    }

    /// `value` as an instance of one of `types`: itself, a lossless conversion, or nil.
    private static func fitted(
        _ value: JSONValue, to types: [SchemaType], _ repairs: inout [ReplyRepair]
    ) -> JSONValue? {
        if types.contains(where: { $0.admits(value) }) { return value }
        for type in types {
            if let converted = converted(value, to: type) {
                repairs.append(.schemaValueCoerced)
                return converted
            }
        }
        repairs.append(.schemaValueDropped)
        return nil
    }

    /// Conversions that read back to the same value: numbers and booleans to and from their
    /// JSON text. Objects, arrays and null are never converted.
    private static func converted(_ value: JSONValue, to type: SchemaType) -> JSONValue? {
        switch (value, type) {
        case (.string(let text), .number), (.string(let text), .integer):
            guard let number = Double(text.trimmingWhitespace), number.isFinite else { return nil }
            let candidate = JSONValue.number(number)
            return type.admits(candidate) ? candidate : nil
        case (.string(let text), .boolean):
            switch text.trimmingWhitespace {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case (.number, .string), (.bool, .string):
            return .string(JSONRendering.render(value))
        default:
            return nil
        }
    }
}
