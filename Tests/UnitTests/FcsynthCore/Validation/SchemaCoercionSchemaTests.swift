import Testing

@testable import FcsynthCore

/// The fixes made to a designed function's schema, each against a schema written out by hand.
@Suite struct SchemaCoercionSchemaTests {
    private func property(_ keywords: [String: JSONValue]) -> JSONValue {
        .object(["type": .string("object"), "properties": .object(["p": .object(keywords)])])
    }

    @Test func valuesOfAnotherTypeAreConvertedWhereNothingIsLost() {
        let (schema, repairs) = SchemaCoercion.coercedSchema(
            .object([
                "type": .string("object"),
                "properties": .object([
                    "limit": .object(["type": .string("integer"), "default": .string(" 10 ")]),
                    "ratio": .object(["type": .string("number"), "default": .string("0.5")]),
                    "code": .object(["type": .string("string"), "default": .number(1), "const": .bool(true)]),
                    "strict": .object(["type": .string("boolean"), "default": .string("false")]),
                ]),
            ]))
        #expect(
            schema
                == .object([
                    "type": .string("object"),
                    "properties": .object([
                        "limit": .object(["type": .string("integer"), "default": .number(10)]),
                        "ratio": .object(["type": .string("number"), "default": .number(0.5)]),
                        "code": .object(["type": .string("string"), "default": .string("1"), "const": .string("true")]),
                        "strict": .object(["type": .string("boolean"), "default": .bool(false)]),
                    ]),
                ]))
        #expect(repairs == Array(repeating: .schemaValueCoerced, count: 5))
    }

    @Test func valuesNoConversionFitsAreDropped() {
        let (schema, repairs) = SchemaCoercion.coercedSchema(
            property([
                "type": .string("integer"), "default": .number(2.5), "const": .string("soon"),
                "examples": .array([.string("3"), .string("three"), .object([:])]),
                "description": .string("Count."),
            ]))
        #expect(
            schema
                == property([
                    "type": .string("integer"), "examples": .array([.number(3)]), "description": .string("Count."),
                ]))
        #expect(repairs.filter { $0 == .schemaValueDropped }.count == 4)
        #expect(repairs.filter { $0 == .schemaValueCoerced }.count == 1)
    }

    @Test func enumMembersAreFittedOneByOneAndAnEmptyEnumGoes() {
        let mixed = SchemaCoercion.coercedSchema(
            property(["type": .string("string"), "enum": .array([.string("a"), .number(1), .null])]))
        #expect(mixed.schema == property(["type": .string("string"), "enum": .array([.string("a"), .string("1")])]))
        #expect(mixed.repairs == [.schemaValueCoerced, .schemaValueDropped])
        let none = SchemaCoercion.coercedSchema(
            property(["type": .string("integer"), "enum": .array([.string("x"), .string("y")])]))
        #expect(none.schema == property(["type": .string("integer")]))
        #expect(none.repairs == [.schemaValueDropped, .schemaValueDropped])
    }

    @Test func aValueOfOneOfSeveralDeclaredTypesStays() {
        let nullable = property(["type": .array([.string("integer"), .string("null")]), "default": .null])
        let (schema, repairs) = SchemaCoercion.coercedSchema(nullable)
        #expect(schema == nullable)
        #expect(repairs.isEmpty)
    }

    @Test func oneElementTypeListsBecomeTheNameAtEveryDepth() {
        let (schema, repairs) = SchemaCoercion.coercedSchema(
            .object([
                "type": .array([.string("object")]),
                "properties": .object([
                    "tags": .object([
                        "type": .string("array"),
                        "items": .object(["type": .array([.string("string")]), "default": .number(7)]),
                    ]),
                    "when": .object(["anyOf": .array([.object(["type": .array([.string("null")])])])]),
                ]),
            ]))
        #expect(
            schema
                == .object([
                    "type": .string("object"),
                    "properties": .object([
                        "tags": .object([
                            "type": .string("array"),
                            "items": .object(["type": .string("string"), "default": .string("7")]),
                        ]),
                        "when": .object(["anyOf": .array([.object(["type": .string("null")])])]),
                    ]),
                ]))
        #expect(repairs.filter { $0 == .schemaTypeUnwrapped }.count == 3)
        #expect(repairs.filter { $0 == .schemaValueCoerced }.count == 1)
    }

    @Test func aSchemaWithoutATypeIsLeftAlone() {
        let untyped = property(["default": .string("x"), "enum": .array([.number(1), .string("x")])])
        let (schema, repairs) = SchemaCoercion.coercedSchema(untyped)
        #expect(schema == untyped)
        #expect(repairs.isEmpty)
    }
}
