import Testing

@testable import FcsynthCore

@Suite struct SchemaCheckTests {
    private func check(_ schema: String) throws -> [String] {
        JSONSchemaValidator.checkSchema(try json(schema), at: "$.parameters").map(\.description)
    }

    @Test func acceptsEveryKeywordOfTheSubset() throws {
        let schema = #"""
            {"type": "object", "description": "Search", "title": "S", "$schema": "x",
             "properties": {
                "query": {"type": "string", "minLength": 1, "maxLength": 200, "format": "text", "examples": ["a"], "pattern": ".+"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                "price": {"type": ["number", "null"]},
                "sort": {"type": "string", "enum": ["asc", "desc"]},
                "flags": {"type": "array", "items": {"type": "boolean"}, "minItems": 0, "maxItems": 3},
                "when": {"description": "A date or a day count", "anyOf": [{"type": "string", "format": "date"}, {"type": "integer"}]},
                "extra": {"type": "object", "additionalProperties": true},
                "nothing": {"type": "null"}
             },
             "required": ["query"],
             "additionalProperties": false}
            """#
        #expect(try check(schema) == [])
    }

    @Test func rejectsANonObjectSchema() throws {
        #expect(try check(#""string""#) == ["$.parameters: expected a schema object, got string"])
        #expect(
            try check(#"{"type": "object", "properties": {"a": "string"}}"#) == [
                "$.parameters.properties.a: expected a schema object, got string"
            ])
    }

    @Test func rejectsUnknownTypeNames() throws {
        #expect(
            try check(#"{"type": "str"}"#) == [
                #"$.parameters.type: unknown type "str"; expected one of string, number, integer, boolean, object, array, null"#
            ])
        #expect(
            try check(#"{"type": ["string", "float"]}"#) == [
                #"$.parameters.type[1]: unknown type "float"; expected one of string, number, integer, boolean, object, array, null"#
            ])
        #expect(
            try check(#"{"type": 3}"#) == [
                "$.parameters.type: expected a type name or a list of type names, got integer"
            ])
        #expect(try check(#"{"type": []}"#) == ["$.parameters.type: expected at least one type name"])
        #expect(try check(#"{"type": ["string", "string"]}"#) == [#"$.parameters.type[1]: duplicate type "string""#])
        #expect(try check(#"{"type": [1]}"#) == ["$.parameters.type[0]: expected a type name, got integer"])
    }

    @Test func requiredMustNameDeclaredProperties() throws {
        #expect(
            try check(#"{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "b"]}"#)
                == [#"$.parameters.required[1]: "b" is not a declared property"#])
        #expect(
            try check(#"{"type": "object", "required": ["a"]}"#) == [
                #"$.parameters.required[0]: "a" is not a declared property"#
            ])
        #expect(
            try check(#"{"type": "object", "properties": {"a": {}}, "required": ["a", "a"]}"#)
                == [#"$.parameters.required[1]: "a" is listed twice"#])
        #expect(
            try check(#"{"type": "object", "properties": {"a": {}}, "required": "a"}"#)
                == ["$.parameters.required: expected an array of property names, got string"])
        #expect(
            try check(#"{"type": "object", "properties": {"a": {}}, "required": [1]}"#)
                == ["$.parameters.required[0]: expected a property name, got integer"])
    }

    @Test func propertiesMustBeAnObjectOfSchemas() throws {
        #expect(
            try check(#"{"type": "object", "properties": [{"name": "a"}]}"#)
                == ["$.parameters.properties: expected an object mapping property names to schemas, got array"])
        #expect(
            try check(#"{"type": "object", "properties": {"a": {"type": "text"}}}"#).first?.hasPrefix(
                #"$.parameters.properties.a.type: unknown type "text""#) == true)
    }

    @Test func additionalPropertiesMustBeABoolean() throws {
        #expect(
            try check(#"{"type": "object", "additionalProperties": {"type": "string"}}"#)
                == ["$.parameters.additionalProperties: expected true or false, got object"])
    }

    @Test func itemsMustBeOneSchema() throws {
        #expect(
            try check(#"{"type": "array", "items": [{"type": "string"}]}"#) == [
                "$.parameters.items: expected a schema object, got array"
            ])
        #expect(try check(#"{"type": "array", "items": {"type": "strng"}}"#).count == 1)
    }

    @Test func enumMustListValuesOfTheDeclaredType() throws {
        #expect(try check(#"{"enum": []}"#) == ["$.parameters.enum: expected a non-empty array of allowed values"])
        #expect(try check(#"{"enum": "a"}"#) == ["$.parameters.enum: expected a non-empty array of allowed values"])
        #expect(
            try check(#"{"type": "string", "enum": ["a", 2]}"#) == [
                "$.parameters.enum[1]: value 2 is not of the declared type string"
            ])
        #expect(try check(#"{"type": ["string", "null"], "enum": ["a", null]}"#) == [])
    }

    @Test func anyOfTakesAlternativesThatStandAlone() throws {
        #expect(try check(#"{"anyOf": []}"#) == ["$.parameters.anyOf: expected a non-empty array of schemas"])
        #expect(
            try check(#"{"anyOf": [{"type": "string"}, 3]}"#) == [
                "$.parameters.anyOf[1]: expected a schema object, got integer"
            ])
        #expect(
            try check(#"{"type": "string", "anyOf": [{"maxLength": 3}]}"#)
                == ["$.parameters.anyOf: cannot be combined with type; move those keywords into each alternative"])
    }

    @Test func boundsMustBeNumbersInOrder() throws {
        #expect(
            try check(#"{"type": "number", "minimum": "1"}"#) == ["$.parameters.minimum: expected a number, got string"]
        )
        #expect(
            try check(#"{"type": "number", "minimum": 5, "maximum": 1}"#) == [
                "$.parameters: minimum 5 is greater than maximum 1"
            ])
        #expect(
            try check(#"{"type": "string", "minLength": 4, "maxLength": 2}"#) == [
                "$.parameters: minLength 4 is greater than maxLength 2"
            ])
        #expect(
            try check(#"{"type": "array", "minItems": -1}"#) == [
                "$.parameters.minItems: expected a non-negative integer, got -1"
            ])
        #expect(
            try check(#"{"type": "array", "maxItems": 1.5}"#) == [
                "$.parameters.maxItems: expected a non-negative integer, got 1.5"
            ])
        #expect(
            try check(#"{"type": "integer", "minimum": 1.2, "maximum": 1.8}"#) == [
                "$.parameters: no integer lies between minimum 1.2 and maximum 1.8"
            ])
    }

    @Test func annotationsMustHaveTheirType() throws {
        #expect(
            try check(#"{"type": "string", "description": 3}"#) == [
                "$.parameters.description: expected a string, got integer"
            ])
        #expect(
            try check(#"{"type": "string", "format": true}"#) == ["$.parameters.format: expected a string, got boolean"]
        )
    }

    @Test func rejectsUnsupportedKeywords() throws {
        #expect(try check(#"{"type": "string", "const": "a"}"#) == ["$.parameters.const: unsupported schema keyword"])
        #expect(try check(#"{"oneOf": [{"type": "string"}]}"#) == ["$.parameters.oneOf: unsupported schema keyword"])
        #expect(
            try check(##"{"type": "object", "properties": {"a": {"$ref": "#/x"}}}"##) == [
                #"$.parameters.properties.a["$ref"]: unsupported schema keyword"#
            ])
    }
}
