import FcsynthCore

/// An OpenAPI 3 document's operations as catalog functions: path, query and header parameters
/// and a JSON request body become `parameters`, the first JSON success response `responses`.
struct OpenAPIDocument {
    private static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    private static let successCodes = ["200", "201", "202", "2XX", "default"]
    let root: JSONValue
    private let schemas: OpenAPISchemas

    init(_ root: JSONValue) {
        self.root = root
        schemas = OpenAPISchemas(root: root)
    }

    /// In the order of their paths, then of the methods as HTTP lists them: the dictionary the
    /// document decodes to keeps no order of its own.
    func entries() -> [CatalogEntry] {
        let paths = root["paths"]?.objectValue ?? [:]
        var entries: [CatalogEntry] = []
        for (route, item) in paths.sorted(by: { $0.key < $1.key }) {
            for method in Self.methods {
                guard let operation = item[method], case .object = operation else { continue }
                let path = JSONPath.member(JSONPath.member("$.paths", route), method)
                do throws(OpenAPIProblem) {
                    entries.append(
                        .function(
                            try function(method: method, route: route, item: item, operation: operation), path: path))
                } catch {
                    entries.append(.problem(CatalogProblem(path: path, message: error.message)))
                }
            }
        }
        return entries
    }

    private func function(
        method: String, route: String, item: JSONValue, operation: JSONValue
    ) throws(OpenAPIProblem) -> FunctionDefinition {
        let name = Self.name(operationId: operation["operationId"]?.stringValue, method: method, route: route)
        guard
            let description = [operation["summary"], operation["description"]].compactMap({ $0?.stringValue })
                .first(where: { !$0.isEmpty })
        else {
            throw OpenAPIProblem("operation \"\(name)\" has no summary or description")
        }
        var properties: [String: JSONValue] = [:]
        var required: [String] = []
        for parameter in try parameters(of: item, operation) {
            guard let parameterName = parameter["name"]?.stringValue, let location = parameter["in"]?.stringValue else {
                throw OpenAPIProblem("a parameter has no name or no \"in\"")
            }
            guard location != "cookie" else { continue }
            var schema = try schemas.translate(parameter["schema"] ?? .object(["type": .string("string")]))
            if schema["description"] == nil, let text = parameter["description"]?.stringValue {
                schema = schema.setting("description", .string(text))
            }
            properties[parameterName] = schema
            if location == "path" || parameter["required"]?.boolValue == true { required.append(parameterName) }
        }
        if let body = try requestBody(of: operation) {
            if case .object(let fields) = body.schema, let bodyProperties = fields["properties"]?.objectValue,
                fields["anyOf"] == nil
            {
                for (key, schema) in bodyProperties {
                    guard properties[key] == nil else {
                        throw OpenAPIProblem(
                            "the request body's property \"\(key)\" has the name of a parameter; rename one of them")
                    }
                    properties[key] = schema
                }
                if body.required { required += fields["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            } else {
                properties["body"] = body.schema
                if body.required { required.append("body") }
            }
        }
        var parameters: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { parameters["required"] = .array(Set(required).sorted().map(JSONValue.string)) }
        return FunctionDefinition(
            name: name, description: description, parameters: .object(parameters),
            responses: try responses(of: operation))
    }

    /// The path item's parameters with the operation's over them (same name and location).
    private func parameters(of item: JSONValue, _ operation: JSONValue) throws(OpenAPIProblem) -> [JSONValue] {
        var merged: [String: JSONValue] = [:]
        var order: [String] = []
        for list in [item["parameters"], operation["parameters"]] {
            for raw in list?.arrayValue ?? [] {
                let parameter = try schemas.resolved(raw)
                let key = (parameter["in"]?.stringValue ?? "") + "/" + (parameter["name"]?.stringValue ?? "")
                if merged[key] == nil { order.append(key) }
                merged[key] = parameter
            }
        }
        return order.compactMap { merged[$0] }
    }

    private func requestBody(of operation: JSONValue) throws(OpenAPIProblem) -> (schema: JSONValue, required: Bool)? {
        guard let raw = operation["requestBody"] else { return nil }
        let body = try schemas.resolved(raw)
        guard let schema = Self.jsonSchema(in: body) else { return nil }
        return (try schemas.translate(schema), body["required"]?.boolValue == true)
    }

    private func responses(of operation: JSONValue) throws(OpenAPIProblem) -> JSONValue {
        let all = operation["responses"]?.objectValue ?? [:]
        guard let code = Self.successCodes.first(where: { all[$0] != nil }), let raw = all[code] else {
            return OpenAITools.openResponses
        }
        let response = try schemas.resolved(raw)
        guard let schema = Self.jsonSchema(in: response) else {
            return .object([
                "type": .string("object"),
                "description": .string(response["description"]?.stringValue ?? "What the operation returns"),
            ])
        }
        let translated = try schemas.translate(schema)
        if translated["type"]?.stringValue == "object" || translated["properties"] != nil {
            return translated.setting("type", .string("object"))
        }
        return .object([
            "type": .string("object"), "properties": .object(["result": translated]),
            "required": .array([.string("result")]),
        ])
    }

    /// The schema of the `application/json` content (or another JSON media type).
    private static func jsonSchema(in object: JSONValue) -> JSONValue? {
        let content = object["content"]?.objectValue ?? [:]
        let key =
            content["application/json"] != nil
            ? "application/json" : content.keys.sorted().first { $0.contains("json") }
        return key.flatMap { content[$0]?["schema"] }
    }

    /// `operationId` made an identifier; without one, the method and the route's words, a
    /// `{param}` segment read as `by_param`: `GET /pets/{petId}` is `get_pets_by_petId`.
    static func name(operationId: String?, method: String, route: String) -> String {
        let raw =
            operationId
            ?? ([method]
            + route.split(separator: "/").map { segment in
                segment.hasPrefix("{") ? "by_" + segment.dropFirst().dropLast() : String(segment)
            }).joined(separator: "_")
        var name = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        while name.contains("__") { name = name.replacingOccurrences(of: "__", with: "_") }
        name = String(name.drop { $0 == "_" })
        while name.hasSuffix("_") { name.removeLast() }
        if name.first?.isNumber == true { name = "op_" + name }
        return String(name.prefix(64))
    }
}
