/// Lossless fixes of a value against its schema, made before validation so that a model's
/// harmless slips do not cost a correction round: a number sent as a string (`"3"` where an
/// integer is wanted) is read as the number, and, for tool results only, a key a closed object
/// schema does not allow is dropped (the schema is the function's contract; an extra key is
/// the tool agent's embellishment). Each fix is counted.
public enum SchemaCoercion {
    public static func coerced(
        _ value: JSONValue, to schema: JSONValue, droppingExtraKeys: Bool
    ) -> (value: JSONValue, repairs: [ReplyRepair]) {
        var repairs: [ReplyRepair] = []
        let result = coerce(value, schema, droppingExtraKeys, &repairs)
        return (result, repairs)
    }

    private static func coerce(
        _ value: JSONValue, _ schema: JSONValue, _ dropping: Bool, _ repairs: inout [ReplyRepair]
    ) -> JSONValue {
        switch value {
        case .string(let text):
            let type = schema["type"]?.stringValue
            guard type == "number" || type == "integer", let number = Double(text.trimmingWhitespace), number.isFinite,
                type == "number" || number == number.rounded()
            else { return value }
            repairs.append(.numberFromString)
            return .number(number)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.map { coerce($0, items, dropping, &repairs) })
        case .object(var members):
            let properties = schema["properties"]?.objectValue ?? [:]
            let closed =
                properties.isEmpty
                ? schema["additionalProperties"] == .bool(false) : schema["additionalProperties"] != .bool(true)
            for (key, member) in members {
                if let property = properties[key] {
                    members[key] = coerce(member, property, dropping, &repairs)
                } else if dropping, closed {
                    members[key] = nil
                    repairs.append(.extraKeyDropped)
                }
            }
            return .object(members)
        default:
            return value
        }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var text = self[...]
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return text
    }
}
