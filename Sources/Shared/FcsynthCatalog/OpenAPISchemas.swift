import FcsynthCore

/// OpenAPI's schemas in the subset records use: references resolved, `oneOf` read as `anyOf`,
/// 3.0's `nullable` as a `null` type, `allOf` of objects merged, and the annotations only
/// OpenAPI knows dropped. What the subset cannot express is left in, for `FunctionValidator`
/// to name.
struct OpenAPISchemas {
    let root: JSONValue
    /// Annotations, and constraints the checks never enforce, which drop without changing what a call may send.
    private static let dropped: Set<String> = [
        "xml", "externalDocs", "discriminator", "nullable", "exclusiveMinimum", "exclusiveMaximum", "uniqueItems",
        "multipleOf", "minProperties", "maxProperties",
    ]

    /// The object a `$ref` names (following references), or the value itself.
    func resolved(_ value: JSONValue, seen: [String] = []) throws(OpenAPIProblem) -> JSONValue {
        guard let reference = value["$ref"]?.stringValue else { return value }
        guard !seen.contains(reference) else {
            throw OpenAPIProblem(
                "the reference \(reference) refers back to itself (\((seen + [reference]).joined(separator: " → ")))")
        }
        return try resolved(try target(of: reference), seen: seen + [reference])
    }

    func translate(_ schema: JSONValue, seen: [String] = []) throws(OpenAPIProblem) -> JSONValue {
        if let reference = schema["$ref"]?.stringValue {
            guard !seen.contains(reference) else {
                throw OpenAPIProblem(
                    "the schema \(reference) contains itself (\((seen + [reference]).joined(separator: " → "))); recursive schemas are not supported"
                )
            }
            return try translate(try target(of: reference), seen: seen + [reference])
        }
        guard case .object(let keywords) = schema else { return schema }
        var result: [String: JSONValue] = [:]
        for (keyword, value) in keywords {
            guard !Self.dropped.contains(keyword), !keyword.hasPrefix("x-") else { continue }
            switch keyword {
            case "properties":
                var properties: [String: JSONValue] = [:]
                for (name, property) in value.objectValue ?? [:] {
                    properties[name] = try translate(property, seen: seen)
                }
                result["properties"] = .object(properties)
            case "items":
                result["items"] = try translate(value, seen: seen)
            case "anyOf", "oneOf":
                var alternatives: [JSONValue] = []
                for alternative in value.arrayValue ?? [] {
                    alternatives.append(try translate(alternative, seen: seen))
                }
                result["anyOf"] = .array(alternatives)
            case "additionalProperties":
                // A schema for the extra values is more than the subset says; that extras are allowed is not.
                result[keyword] = .bool(value.boolValue ?? true)
            case "const":
                result["enum"] = .array([value])
            case "allOf":
                for (key, merged) in try mergedAllOf(value, seen: seen) { result[key] = merged }
            default:
                result[keyword] = value
            }
        }
        if keywords["nullable"]?.boolValue == true, let type = result["type"]?.stringValue {
            result["type"] = .array([.string(type), .string("null")])
        }
        return .object(result)
    }

    /// `allOf` of object schemas as one object: their properties and required names together.
    private func mergedAllOf(_ value: JSONValue, seen: [String]) throws(OpenAPIProblem) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        var required: [String] = []
        var description: String?
        for part in value.arrayValue ?? [] {
            let translated = try translate(part, seen: seen)
            guard translated["type"]?.stringValue == "object" || translated["properties"] != nil else {
                throw OpenAPIProblem("allOf is supported only over object schemas")
            }
            for (key, property) in translated["properties"]?.objectValue ?? [:] { properties[key] = property }
            required += translated["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            description = description ?? translated["description"]?.stringValue
        }
        var merged: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { merged["required"] = .array(Set(required).sorted().map(JSONValue.string)) }
        if let description { merged["description"] = .string(description) }
        return merged
    }

    /// The value a local JSON pointer (`#/components/schemas/Pet`) names.
    private func target(of reference: String) throws(OpenAPIProblem) -> JSONValue {
        guard reference.hasPrefix("#/") else {
            throw OpenAPIProblem("the reference \(reference) is external; external references are not supported")
        }
        var value = root
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = value[key] else {
                throw OpenAPIProblem("the reference \(reference) names nothing in the document")
            }
            value = next
        }
        return value
    }
}
