import Testing

@testable import FcsynthCore

@Suite struct JSONSchemaValidatorTests {
    private func violations(_ instance: String, _ schema: String) throws -> [String] {
        JSONSchemaValidator.validate(try json(instance), against: try json(schema), at: "$.arguments").map(
            \.description)
    }

    @Test func acceptsEachTypeItsValues() throws {
        let cases: [(String, String)] = [
            (#""Paris""#, "string"), ("1.5", "number"), ("3", "number"), ("3", "integer"), ("3.0", "integer"),
            ("true", "boolean"), ("null", "null"), ("[1]", "array"), (#"{"a": 1}"#, "object"),
        ]
        for (instance, type) in cases {
            #expect(try violations(instance, #"{"type": "\#(type)"}"#) == [], "\(instance) as \(type)")
        }
    }

    @Test func reportsTypeMismatchesByName() throws {
        #expect(try violations(#""3""#, #"{"type": "integer"}"#) == ["$.arguments: expected integer, got string"])
        #expect(try violations("2.5", #"{"type": "integer"}"#) == ["$.arguments: expected integer, got number"])
        #expect(try violations("1", #"{"type": "boolean"}"#) == ["$.arguments: expected boolean, got integer"])
        #expect(try violations("null", #"{"type": "object"}"#) == ["$.arguments: expected object, got null"])
        #expect(try violations(#"{}"#, #"{"type": "array"}"#) == ["$.arguments: expected array, got object"])
    }

    @Test func acceptsAnyTypeOfAList() throws {
        let schema = #"{"type": ["string", "null"]}"#
        #expect(try violations("null", schema) == [])
        #expect(try violations(#""x""#, schema) == [])
        #expect(try violations("4", schema) == ["$.arguments: expected string or null, got integer"])
        #expect(
            try violations("true", #"{"type": ["string", "number", "null"]}"#)
                == ["$.arguments: expected string, number or null, got boolean"])
    }

    @Test func enumAcceptsListedValuesOfAnyType() throws {
        let schema = #"{"enum": ["metric", 2, null, {"a": [1]}]}"#
        for instance in [#""metric""#, "2", "2.0", "null", #"{"a": [1]}"#] {
            #expect(try violations(instance, schema) == [], "\(instance)")
        }
        #expect(
            try violations(#""kelvin""#, schema) == [
                #"$.arguments: expected one of "metric", 2, null, {"a":[1]}, got "kelvin""#
            ])
    }

    @Test func anyOfNeedsOneMatchingAlternative() throws {
        let schema = #"{"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 0}]}"#
        #expect(try violations(#""abc""#, schema) == [])
        #expect(try violations("7", schema) == [])
        #expect(
            try violations(#""abcd""#, schema) == [
                "$.arguments: matches none of the anyOf alternatives: (1) expected at most 3 characters, got 4; (2) expected integer, got string"
            ])
        #expect(
            try violations(#"{"x": 1}"#, #"{"anyOf": [{"type": "object", "properties": {"x": {"type": "string"}}}]}"#)
                == [
                    "$.arguments: matches none of the anyOf alternatives: (1) $.arguments.x: expected string, got integer"
                ])
    }

    @Test func reportsMissingRequiredAndWrongTypedProperties() throws {
        let schema = #"""
            {"type": "object", "properties": {"city": {"type": "string"}, "count": {"type": "integer"}}, "required": ["city", "count"]}
            """#
        #expect(try violations(#"{"city": "Paris", "count": 2}"#, schema) == [])
        #expect(
            try violations(#"{"count": "two"}"#, schema) == [
                "$.arguments.city: required property missing",
                "$.arguments.count: expected integer, got string",
            ])
    }

    @Test func objectsWithPropertiesAreClosedUnlessAdditionalPropertiesIsTrue() throws {
        let closed = #"{"type": "object", "properties": {"city": {"type": "string"}}}"#
        #expect(
            try violations(#"{"city": "Paris", "foo": 1}"#, closed) == [
                "$.arguments.foo: property not declared in the schema"
            ])
        let open = #"{"type": "object", "properties": {"city": {"type": "string"}}, "additionalProperties": true}"#
        #expect(try violations(#"{"city": "Paris", "foo": 1}"#, open) == [])
    }

    @Test func objectsWithoutPropertiesAreOpenUnlessAdditionalPropertiesIsFalse() throws {
        #expect(try violations(#"{"anything": [1, 2]}"#, #"{"type": "object"}"#) == [])
        #expect(
            try violations(#"{"anything": 1}"#, #"{"type": "object", "additionalProperties": false}"#)
                == ["$.arguments.anything: property not declared in the schema"])
        #expect(
            try violations(#"{"x": 1}"#, #"{"type": "object", "properties": {}}"#) == [
                "$.arguments.x: property not declared in the schema"
            ])
    }

    @Test func pathsQuoteKeysThatAreNotIdentifiers() throws {
        #expect(
            try violations(#"{"first name": 1}"#, #"{"type": "object", "properties": {}}"#)
                == [#"$.arguments["first name"]: property not declared in the schema"#])
    }

    @Test func validatesItemsWithTheirIndex() throws {
        let schema =
            #"{"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}}"#
        #expect(
            try violations(#"[{"id": 1}, {"id": "2"}, {}]"#, schema) == [
                "$.arguments[1].id: expected integer, got string",
                "$.arguments[2].id: required property missing",
            ])
    }

    @Test func enforcesItemCounts() throws {
        let schema = #"{"type": "array", "minItems": 1, "maxItems": 2}"#
        #expect(try violations("[1]", schema) == [])
        #expect(try violations("[]", schema) == ["$.arguments: expected at least 1 item, got 0"])
        #expect(try violations("[1, 2, 3]", schema) == ["$.arguments: expected at most 2 items, got 3"])
    }

    @Test func enforcesStringLengthInCodePoints() throws {
        let schema = #"{"type": "string", "minLength": 2, "maxLength": 3}"#
        #expect(try violations(#""été""#, schema) == [])
        #expect(try violations(#""a""#, schema) == ["$.arguments: expected at least 2 characters, got 1"])
        #expect(try violations(#""abcd""#, schema) == ["$.arguments: expected at most 3 characters, got 4"])
        #expect(try violations(#""a""#, #"{"minLength": 1}"#) == [])
    }

    @Test func enforcesNumericBounds() throws {
        let schema = #"{"type": "number", "minimum": 1, "maximum": 10.5}"#
        #expect(try violations("1", schema) == [])
        #expect(try violations("10.5", schema) == [])
        #expect(try violations("0", schema) == ["$.arguments: expected a value >= 1, got 0"])
        #expect(try violations("11", schema) == ["$.arguments: expected a value <= 10.5, got 11"])
    }

    @Test func appliesKindChecksWithoutADeclaredType() throws {
        #expect(try violations("0", #"{"minimum": 1}"#) == ["$.arguments: expected a value >= 1, got 0"])
        #expect(try violations(#""x""#, #"{"minimum": 1}"#) == [])
    }

    @Test func ignoresAnnotationsAndFormat() throws {
        let schema =
            #"{"type": "string", "format": "email", "description": "Address", "default": "a@b.c", "title": "E", "pattern": "^x$"}"#
        #expect(try violations(#""not an email""#, schema) == [])
    }

    @Test func booleanSchemas() throws {
        #expect(try violations("1", "true") == [])
        #expect(try violations("1", "false") == ["$.arguments: no value is allowed here"])
    }

    @Test func defaultsToTheRootPath() throws {
        #expect(
            JSONSchemaValidator.validate(.string("x"), against: try json(#"{"type": "number"}"#))
                == [SchemaViolation(path: "$", message: "expected number, got string")])
    }

    @Test func stopsAtATypeMismatchInsteadOfPilingUpMessages() throws {
        #expect(
            try violations(#""x""#, #"{"type": "integer", "enum": [1, 2], "minimum": 3}"#) == [
                "$.arguments: expected integer, got string"
            ])
    }
}
