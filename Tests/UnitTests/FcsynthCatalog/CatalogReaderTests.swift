import Foundation
import Testing

@testable import FcsynthCatalog
@testable import FcsynthCore

/// Reading the catalogs users bring: the example catalog in its three forms, and bad
/// catalogs, each refused with an error that names the entry while the good ones go through.
@Suite struct CatalogReaderTests {
    static let catalogFolder = Repository.root.appendingPathComponent("example_data/catalog")
    /// Written down here, not read by the code under test.
    static let expectedNames: Set<String> = [
        "search_flights", "get_flight_details", "get_flight_status", "book_flight", "get_booking", "cancel_booking",
        "select_seat", "add_checked_bag", "search_hotels", "get_hotel_details", "get_hotel_reviews", "book_hotel",
        "get_reservation", "cancel_reservation", "search_rental_cars", "book_rental_car", "get_rental",
        "get_weather_forecast", "get_air_quality", "convert_currency", "get_exchange_rate", "get_travel_advisory",
        "check_visa_requirements", "find_attractions", "get_attraction_hours", "create_trip", "add_booking_to_trip",
        "get_trip_itinerary", "get_loyalty_balance", "redeem_points",
    ]

    /// The OpenAI file's parameters and required names per function, read with Foundation's parser.
    static func oracle() throws -> [String: (properties: Set<String>, required: Set<String>)] {
        let data = try Data(contentsOf: catalogFolder.appendingPathComponent("travel_tools.json"))
        let tools = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var result: [String: (Set<String>, Set<String>)] = [:]
        for tool in tools {
            let function = try #require(tool["function"] as? [String: Any])
            let parameters = try #require(function["parameters"] as? [String: Any])
            let properties = try #require(parameters["properties"] as? [String: Any])
            result[try #require(function["name"] as? String)] = (
                Set(properties.keys), Set(parameters["required"] as? [String] ?? [])
            )
        }
        return result
    }

    static func parameterNames(_ function: FunctionDefinition) -> Set<String> {
        Set((function.parameters["properties"]?.objectValue ?? [:]).keys)
    }

    static func required(_ schema: JSONValue) -> Set<String> {
        Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    @Test func theOpenAIExampleGivesItsThirtyFunctions() throws {
        let reading = try CatalogReader.read(path: Self.catalogFolder.appendingPathComponent("travel_tools.json").path)
        #expect(reading.problems.isEmpty)
        #expect(reading.catalog.functions.count == 30)
        #expect(Set(reading.catalog.functions.map(\.name)) == Self.expectedNames)
        #expect(FunctionValidator.validate(functions: reading.catalog.functions).isEmpty)
        #expect(reading.catalog.source == "travel_tools.json (OpenAI tools)")
    }

    @Test(arguments: ["travel_openapi.yaml", "travel_openapi.json"])
    func theOpenAPIExampleGivesTheSameFunctionsAndParameters(file: String) throws {
        let reading = try CatalogReader.read(path: Self.catalogFolder.appendingPathComponent(file).path)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
        #expect(Set(reading.catalog.functions.map(\.name)) == Self.expectedNames)
        #expect(reading.catalog.source == "\(file) (OpenAPI 3.0.3)")
        let oracle = try Self.oracle()
        for function in reading.catalog.functions {
            let expected = try #require(oracle[function.name])
            #expect(Self.parameterNames(function) == expected.properties, "\(function.name)")
            #expect(Self.required(function.parameters) == expected.required, "\(function.name)")
        }
        #expect(FunctionValidator.validate(functions: reading.catalog.functions).isEmpty)
        // `$ref` to a component, `nullable` and `oneOf`, as the document writes them.
        let search = try #require(reading.catalog.function(named: "search_flights"))
        #expect(search.responses["properties"]?["flights"]?["items"]?["properties"]?["flight_id"] != nil)
        let status = try #require(reading.catalog.function(named: "get_flight_status"))
        #expect(
            status.responses["properties"]?["delay_minutes"]?["type"]
                == .array([.string("integer"), .string("null")]))
        let itinerary = try #require(reading.catalog.function(named: "get_trip_itinerary"))
        #expect(itinerary.responses["properties"]?["days"]?["items"]?["anyOf"]?.arrayValue?.count == 2)
    }

    static func parse(
        _ text: String, file: String = "catalog.json", weights: [String: Double] = [:]
    ) throws
        -> CatalogReading
    {
        try CatalogReader.parse(Array(text.utf8), fileName: file, weights: weights)
    }

    static let good =
        #"{"type": "function", "function": {"name": "ping", "description": "Check a host.", "parameters": {"type": "object", "properties": {"host": {"type": "string"}}, "required": ["host"]}}}"#

    @Test func aMissingNameIsReportedByItsIndexAndTheOthersGoThrough() throws {
        let reading = try Self.parse(
            "[\(Self.good), {\"type\": \"function\", \"function\": {\"description\": \"No name.\"}}]")
        #expect(reading.catalog.functions.map(\.name) == ["ping"])
        #expect(reading.problems == [CatalogProblem(path: "$[1]", message: "the function has no name")])
    }

    @Test func aDuplicateNameKeepsTheFirst() throws {
        let second = Self.good.replacingOccurrences(of: "Check a host.", with: "Another.")
        let reading = try Self.parse("[\(Self.good), \(second)]")
        #expect(reading.catalog.functions.map(\.description) == ["Check a host."])
        #expect(reading.problems.map(\.path) == ["$[1]"])
        #expect(reading.problems.first?.message.contains("already declared at $[0]") == true)
    }

    @Test func aSchemaOutsideTheSubsetNamesTheEntryAndTheKeyword() throws {
        let bad =
            #"{"name": "odd", "description": "Odd.", "parameters": {"type": "object", "properties": {"x": {"not": {"type": "string"}}}}}"#
        let reading = try Self.parse("[\(Self.good), \(bad)]")
        #expect(reading.catalog.functions.map(\.name) == ["ping"])
        let problem = try #require(reading.problems.first)
        #expect(problem.path.hasPrefix("$[1]"))
        #expect(problem.message.contains("function \"odd\""))
        #expect(problem.message.contains("not"))
    }

    @Test func aYAMLSyntaxErrorGivesItsLine() throws {
        let yaml = "openapi: 3.0.3\ninfo:\n  title: t\npaths:\n  /a:\n    get: [unclosed\n"
        #expect {
            try Self.parse(yaml, file: "api.yaml")
        } throws: { error in
            guard case .yamlSyntax(let file, let line, _, _) = error as? CatalogError else { return false }
            return file == "api.yaml" && line == 7
        }
    }

    @Test func swaggerTwoIsRefusedWithWhatToDo() throws {
        #expect {
            try Self.parse(#"{"swagger": "2.0", "paths": {}}"#)
        } throws: { error in
            "\(error)".contains("convert it to OpenAPI 3")
        }
    }

    @Test func aBadJSONLinesLineIsReportedAndTheOthersGoThrough() throws {
        let other = Self.good.replacingOccurrences(of: "\"ping\"", with: "\"pong\"")
        let third = Self.good.replacingOccurrences(of: "\"ping\"", with: "\"trace\"")
        let reading = try Self.parse("\(Self.good)\n\(other)\n{not json\n\(third)\n", file: "tools.jsonl")
        #expect(reading.catalog.functions.map(\.name) == ["ping", "pong", "trace"])
        #expect(reading.problems == [CatalogProblem(path: "line 3", message: "not valid JSON")])
    }

    @Test func aWeightMustNameACatalogFunctionAndBePositive() throws {
        #expect(try Self.parse("[\(Self.good)]", weights: ["ping": 3]).catalog.weight(of: "ping") == 3)
        #expect(throws: CatalogError.badWeight(name: "pang", reason: "no such function in the catalog")) {
            try Self.parse("[\(Self.good)]", weights: ["pang": 2])
        }
        #expect(throws: CatalogError.self) { try Self.parse("[\(Self.good)]", weights: ["ping": 0]) }
    }

    @Test func aCatalogWithNoUsableFunctionIsRefused() throws {
        #expect(throws: CatalogError.self) { try Self.parse("[{\"type\": \"function\", \"function\": {}}]") }
        #expect(throws: CatalogError.self) { try Self.parse("{\"neither\": true}") }
    }

    static func openAPI(_ paths: String, components: String = "{}") -> String {
        #"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": \#(paths), "components": {"schemas": \#(components)}}"#
    }

    @Test func openAPIOperationsMapParametersBodiesAndResponses() throws {
        let reading = try Self.parse(
            Self.openAPI(
                ##"""
                {"/pets/{petId}": {
                  "parameters": [{"name": "petId", "in": "path", "schema": {"type": "string"}, "description": "The pet"}],
                  "put": {"summary": "Update a pet.",
                    "parameters": [{"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                                   {"name": "session", "in": "cookie", "schema": {"type": "string"}}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"allOf": [
                        {"$ref": "#/components/schemas/Named"},
                        {"type": "object", "properties": {"age": {"type": "integer"}}}]}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}},
                  "get": {"description": "Read a pet.", "responses": {"404": {"description": "none"}}}}}
                """##,
                components:
                    #"{"Named": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}"#)
        )
        #expect(reading.problems.isEmpty, "\(reading.problems)")
        let update = try #require(reading.catalog.functions.first { $0.description == "Update a pet." })
        #expect(update.name == "put_pets_by_petId")
        #expect(Self.parameterNames(update) == ["petId", "dryRun", "name", "age"])
        #expect(Self.required(update.parameters) == ["petId", "name"])
        #expect(update.parameters["properties"]?["petId"]?["description"] == .string("The pet"))
        #expect(update.responses["properties"]?["result"]?["type"] == .string("array"))
        #expect(Self.required(update.responses) == ["result"])
        let read = try #require(reading.catalog.functions.first { $0.name == "get_pets_by_petId" })
        #expect(read.responses["type"] == .string("object"))
    }

    @Test func cyclicAndUnknownReferencesFailTheirOperationOnly() throws {
        let reading = try Self.parse(
            Self.openAPI(
                ##"""
                {"/a": {"get": {"operationId": "loop", "summary": "Loops.", "responses": {"200": {"description": "ok",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}},
                 "/b": {"get": {"operationId": "lost", "summary": "Lost.", "parameters": [{"$ref": "#/components/parameters/Nowhere"}]}},
                 "/c": {"get": {"operationId": "fine", "summary": "Fine."}},
                 "/d": {"get": {"operationId": "silent"}}}
                """##,
                components:
                    ##"{"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}"##))
        #expect(reading.catalog.functions.map(\.name) == ["fine"])
        let byPath = Dictionary(uniqueKeysWithValues: reading.problems.map { ($0.path, $0.message) })
        #expect(byPath["$.paths[\"/a\"].get"]?.contains("#/components/schemas/Node") == true)
        #expect(byPath["$.paths[\"/b\"].get"]?.contains("names nothing") == true)
        #expect(byPath["$.paths[\"/d\"].get"]?.contains("no summary or description") == true)
    }
}
