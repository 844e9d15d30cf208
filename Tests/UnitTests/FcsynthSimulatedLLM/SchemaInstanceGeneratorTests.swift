import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatedLLM

@Suite struct SchemaInstanceGeneratorTests {
    private static let schemas: [String] = [
        #"{"type": "string"}"#,
        #"{"type": "integer", "minimum": 3, "maximum": 3}"#,
        #"{"type": "integer", "minimum": 0.5, "maximum": 2.5}"#,
        #"{"type": "integer", "minimum": 1000000}"#,
        #"{"type": "number", "minimum": -0.25, "maximum": 0.25}"#,
        #"{"type": "number", "maximum": -500}"#,
        #"{"type": "boolean"}"#,
        #"{"type": "null"}"#,
        #"{"type": ["string", "integer", "null"]}"#,
        #"{"type": "string", "minLength": 30, "maxLength": 32}"#,
        #"{"type": "string", "maxLength": 2}"#,
        #"{"type": "string", "format": "date-time"}"#,
        #"{"type": "string", "enum": ["economy", "business", "first"]}"#,
        #"{"enum": [1, "two", null, {"three": 3}]}"#,
        #"{"type": "string", "enum": ["a", "b"], "default": "b"}"#,
        #"{"anyOf": [{"type": "string", "format": "date"}, {"type": "integer", "minimum": 1, "maximum": 7}, {"type": "null"}]}"#,
        #"{"type": "array", "items": {"type": "string"}, "minItems": 4, "maxItems": 5}"#,
        #"{"type": "array", "maxItems": 0}"#,
        #"{"type": "array"}"#,
        #"{"type": "object"}"#,
        #"{"type": "object", "additionalProperties": false}"#,
        #"{"properties": {"a": {"type": "integer"}}, "required": ["a"]}"#,
        #"{"description": "anything"}"#,
        #"""
        {"type": "object",
         "properties": {
            "flights": {"type": "array", "items": {"type": "object",
                "properties": {"flight_id": {"type": "string"}, "departure_time": {"type": "string"}, "price": {"type": "number", "minimum": 0},
                               "airline": {"type": "string"}, "stops": {"type": "integer", "minimum": 0, "maximum": 2}},
                "required": ["flight_id", "price"]}},
            "origin": {"type": "string", "description": "IATA code of the departure airport", "minLength": 3, "maxLength": 3},
            "currency": {"type": "string", "default": "USD"},
            "meta": {"type": "object", "properties": {"page": {"type": "integer"}, "total_results": {"type": "integer"}}, "additionalProperties": true}
         },
         "required": ["flights", "origin"]}
        """#,
    ]

    @Test func everySchemaUsedHereIsWellFormed() throws {
        for schema in Self.schemas {
            #expect(JSONSchemaValidator.checkSchema(try json(schema), at: "$") == [], "\(schema)")
        }
    }

    @Test func generatedValuesSatisfyTheirSchemaOver500Seeds() throws {
        let schemas =
            try Self.schemas.map(json) + [
                try ValidationFixtures.weather().parameters, try ValidationFixtures.weather().responses,
            ]
        for seed in UInt64(0)..<500 {
            var generator = SchemaInstanceGenerator(seed: seed)
            for schema in schemas {
                let value = generator.instance(for: schema, hint: "value")
                let violations = JSONSchemaValidator.validate(value, against: schema)
                #expect(violations == [], "seed \(seed): \(value) against \(schema)")
            }
        }
    }

    @Test func generatedValuesSatisfyRandomSchemasOver500Seeds() {
        for seed in UInt64(0)..<500 {
            var maker = RandomSchemaMaker(seed: seed)
            let schema = maker.schema(depth: 0)
            #expect(JSONSchemaValidator.checkSchema(schema, at: "$") == [], "made an ill-formed schema: \(schema)")
            var generator = SchemaInstanceGenerator(seed: seed &* 31)
            for hint in ["", "city", "count"] {
                let value = generator.instance(for: schema, hint: hint)
                #expect(
                    JSONSchemaValidator.validate(value, against: schema) == [],
                    "seed \(seed): \(value) against \(schema)")
            }
        }
    }

    @Test func isDeterministicForASeedAndVariedAcrossSeeds() throws {
        let schema = try ValidationFixtures.weather().parameters
        var first = SchemaInstanceGenerator(seed: 7)
        var second = SchemaInstanceGenerator(seed: 7)
        #expect(first.instance(for: schema) == second.instance(for: schema))
        let values = Set(
            (UInt64(0)..<50).map { seed in
                var generator = SchemaInstanceGenerator(seed: seed)
                return generator.instance(for: schema)
            })
        #expect(values.count >= 20)
    }

    @Test func includesRequiredPropertiesAlwaysAndOptionalOnesSometimes() throws {
        let schema = try ValidationFixtures.weather().parameters
        var withUnits = 0
        for seed in UInt64(0)..<100 {
            var generator = SchemaInstanceGenerator(seed: seed)
            let value = generator.instance(for: schema)
            #expect(value["city"]?.stringValue != nil)
            if value["units"] != nil { withUnits += 1 }
        }
        #expect((20...80).contains(withUnits))
    }

    @Test func shapesStringsByTheirName() throws {
        let string = JSONValue.object(["type": .string("string")])
        func sample(_ hint: String, _ schema: JSONValue = string, seed: UInt64 = 1) -> String {
            var generator = SchemaInstanceGenerator(seed: seed)
            return generator.instance(for: schema, hint: hint).stringValue ?? ""
        }
        let cities: Set = [
            "Paris", "Tokyo", "New York", "London", "Berlin", "Madrid", "Toronto", "Sydney", "Seoul", "Chicago",
            "Lisbon", "Boston",
        ]
        for seed in UInt64(0)..<20 {
            #expect(cities.contains(sample("city", seed: seed)))
            #expect(cities.contains(sample("destinationCity", seed: seed)))
            #expect(sample("check_in_date", seed: seed).wholeMatch(of: /20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d)/) != nil)
            #expect(sample("contact email", seed: seed).wholeMatch(of: /[a-z]+\.[a-z]+@example\.com/) != nil)
            #expect(sample("order_id", seed: seed).wholeMatch(of: /[A-Z]{2,3}-\d{6}/) != nil)
            #expect(
                sample("created", .object(["type": .string("string"), "format": .string("date-time")]), seed: seed)
                    .wholeMatch(of: /20\d\d-\d\d-\d\dT\d\d:\d\d:00Z/) != nil)
            #expect(sample("currency", seed: seed).wholeMatch(of: /[A-Z]{3}/) != nil)
            #expect(sample("from", seed: seed).isEmpty == false)
        }
        #expect(
            cities.contains(
                sample("where", .object(["type": .string("string"), "description": .string("The city to search")]))))
        let airport = JSONValue.object([
            "type": .string("string"), "description": .string("IATA code of the departure airport"),
            "maxLength": .number(3),
        ])
        #expect(sample("origin", airport).wholeMatch(of: /[A-Z]{3}/) != nil)
    }

    @Test func keepsNumbersPlausibleForTheirName() throws {
        for seed in UInt64(0)..<50 {
            var generator = SchemaInstanceGenerator(seed: seed)
            let year = generator.instance(for: .object(["type": .string("integer")]), hint: "year").numberValue ?? 0
            #expect((2020...2026).contains(year) && year.rounded() == year)
            let latitude =
                generator.instance(for: .object(["type": .string("number")]), hint: "latitude").numberValue ?? 999
            #expect((-90...90).contains(latitude))
            let guests =
                generator.instance(for: .object(["type": .string("integer"), "minimum": .number(2)]), hint: "guests")
                .numberValue ?? 0
            #expect((2...10).contains(guests))
        }
    }

    @Test func makesOneToThreeItemsByDefaultNamedAfterTheArray() throws {
        let schema = try json(#"{"type": "array", "items": {"type": "string"}}"#)
        var counts: Set<Int> = []
        for seed in UInt64(0)..<50 {
            var generator = SchemaInstanceGenerator(seed: seed)
            let items = generator.instance(for: schema, hint: "cities").arrayValue ?? []
            counts.insert(items.count)
            #expect(items.allSatisfy { !($0.stringValue ?? "").contains(" near ") })
        }
        #expect(counts == [1, 2, 3])
    }
}

/// Random schemas of the supported subset, to property-test the generator against shapes nobody wrote by hand.
private struct RandomSchemaMaker {
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func schema(depth: Int) -> JSONValue {
        let kinds = depth >= 3 ? 0..<7 : 0..<10
        switch Int.random(in: kinds, using: &random) {
        case 0:
            var schema: [String: JSONValue] = ["type": .string("string")]
            if chance() { schema["minLength"] = .number(Double(Int.random(in: 0...12, using: &random))) }
            if chance() { schema["maxLength"] = .number(Double(Int.random(in: 12...40, using: &random))) }
            if chance() {
                schema["format"] = .string(
                    ["date", "email", "uuid", "date-time"][Int.random(in: 0..<4, using: &random)])
            }
            return .object(schema)
        case 1, 2:
            let type = chance() ? "integer" : "number"
            var schema: [String: JSONValue] = ["type": .string(type)]
            let low = Double(Int.random(in: -1000...1000, using: &random)) / (type == "integer" ? 1 : 8)
            if chance() { schema["minimum"] = .number(low) }
            if chance() { schema["maximum"] = .number(low + Double(Int.random(in: 0...50, using: &random))) }
            return .object(schema)
        case 3:
            return .object(["type": .string(chance() ? "boolean" : "null")])
        case 4:
            let values: [JSONValue] = [.string("alpha"), .number(2), .bool(true), .null, .string("beta")]
            return .object([
                "enum": .array(Array(values.shuffled(using: &random).prefix(Int.random(in: 1...4, using: &random))))
            ])
        case 5:
            return .object([
                "type": .array(["string", "integer", "null"].shuffled(using: &random).prefix(2).map(JSONValue.string))
            ])
        case 6:
            return .object(["description": .string("free")])
        case 7:
            var schema: [String: JSONValue] = ["type": .string("array"), "items": self.schema(depth: depth + 1)]
            if chance() { schema["minItems"] = .number(Double(Int.random(in: 0...4, using: &random))) }
            if chance() { schema["maxItems"] = .number(Double(Int.random(in: 4...6, using: &random))) }
            return .object(schema)
        case 8:
            let alternatives = (0..<Int.random(in: 1...3, using: &random)).map { _ in self.schema(depth: depth + 1) }
            return .object(["anyOf": .array(alternatives), "description": .string("one of several")])
        default:
            let names = ["city", "date", "count", "price", "email", "user_id", "tags", "details", "year", "rating"]
            var properties: [String: JSONValue] = [:]
            for name in names.shuffled(using: &random).prefix(Int.random(in: 0...5, using: &random)) {
                properties[name] = self.schema(depth: depth + 1)
            }
            var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
            let required = properties.keys.sorted().filter { _ in chance() }
            if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
            if chance() { schema["additionalProperties"] = .bool(chance()) }
            return .object(schema)
        }
    }

    private mutating func chance() -> Bool {
        Bool.random(using: &random)
    }
}
