import Testing

@testable import FcsynthCore

@Suite struct FunctionValidatorTests {
    private func function(
        _ name: String, description: String = "Does a thing.",
        parameters: String = #"{"type": "object", "properties": {}}"#,
        responses: String = #"{"type": "object", "properties": {"ok": {"type": "boolean"}}}"#
    ) throws -> FunctionDefinition {
        FunctionDefinition(
            name: name, description: description, parameters: try json(parameters), responses: try json(responses))
    }

    private func messages(_ subTasks: [SubTask]) -> [String] {
        FunctionValidator.validate(subTasks).map(\.description)
    }

    @Test func acceptsWellFormedFunctionsAndFunctionlessSubTasks() throws {
        let subTasks = [
            SubTask(task: "Find the weather", functions: [try ValidationFixtures.weather()]),
            SubTask(task: "Compare the temperatures"),
            SubTask(task: "Convert", functions: [try ValidationFixtures.convert(), try function("_private2")]),
        ]
        #expect(messages(subTasks) == [])
    }

    @Test func rejectsNamesThatAreNotIdentifiers() throws {
        let long = String(repeating: "a", count: 65)
        let subTasks = [
            SubTask(
                task: "t",
                functions: [
                    try function("get weather"), try function("2fa"), try function(""), try function(long),
                    try function("get-weather"), try function(String(repeating: "b", count: 64)),
                ])
        ]
        let hint =
            "is not a valid function name; use up to 64 letters, digits and underscores, not starting with a digit"
        #expect(
            messages(subTasks) == [
                #"$.sub_tasks[0].functions[0].name: "get weather" "# + hint,
                #"$.sub_tasks[0].functions[1].name: "2fa" "# + hint,
                #"$.sub_tasks[0].functions[2].name: "" "# + hint,
                #"$.sub_tasks[0].functions[3].name: "\#(long)" "# + hint,
                #"$.sub_tasks[0].functions[4].name: "get-weather" "# + hint,
            ])
    }

    @Test func rejectsANameDeclaredTwiceInTheItem() throws {
        let subTasks = [
            SubTask(task: "a", functions: [try function("search")]),
            SubTask(task: "b", functions: [try function("book"), try function("search")]),
        ]
        #expect(
            messages(subTasks) == [
                #"$.sub_tasks[1].functions[1].name: function "search" is already declared at $.sub_tasks[0].functions[0]; declare each function once"#
            ])
    }

    @Test func rejectsAnEmptyDescription() throws {
        #expect(
            messages([SubTask(task: "a", functions: [try function("f", description: "  ")])])
                == ["$.sub_tasks[0].functions[0].description: must not be empty"])
    }

    @Test func parametersMustBeAnObjectSchemaWithProperties() throws {
        let subTasks = [
            SubTask(
                task: "a",
                functions: [
                    try function("f", parameters: #"{"type": "string"}"#),
                    try function("g", parameters: #"{"type": "object"}"#),
                    try function("h", parameters: #"[{"name": "x"}]"#),
                    try function("i", parameters: #"{"properties": {"x": {"type": "string"}}}"#),
                ])
        ]
        #expect(
            messages(subTasks) == [
                #"$.sub_tasks[0].functions[0].parameters.type: expected "object""#,
                "$.sub_tasks[0].functions[0].parameters.properties: missing; use {} for a function without parameters",
                "$.sub_tasks[0].functions[1].parameters.properties: missing; use {} for a function without parameters",
                #"$.sub_tasks[0].functions[2].parameters: got array; expected a JSON Schema object with "type": "object""#,
                #"$.sub_tasks[0].functions[3].parameters.type: expected "object""#,
            ])
    }

    @Test func reportsSchemaErrorsInsideParameters() throws {
        let parameters = #"{"type": "object", "properties": {"city": {"type": "text"}}, "required": ["city", "date"]}"#
        #expect(
            messages([SubTask(task: "a", functions: [try function("f", parameters: parameters)])]) == [
                #"$.sub_tasks[0].functions[0].parameters.properties.city.type: unknown type "text"; expected one of string, number, integer, boolean, object, array, null"#,
                #"$.sub_tasks[0].functions[0].parameters.required[1]: "date" is not a declared property"#,
            ])
    }

    @Test func responsesMustBePresentAndAnObjectSchema() throws {
        let missing = FunctionDefinition(
            name: "f", description: "d", parameters: try json(#"{"type": "object", "properties": {}}"#),
            responses: .null)
        let list = try function("g", responses: #"{"type": "array", "items": {"type": "string"}}"#)
        let free = try function("h", responses: #"{"type": "object"}"#)
        #expect(
            messages([SubTask(task: "a", functions: [missing, list, free])]) == [
                #"$.sub_tasks[0].functions[0].responses: missing; expected a JSON Schema object with "type": "object""#,
                #"$.sub_tasks[0].functions[1].responses.type: expected "object""#,
            ])
    }

    @Test func validatesAPlainListAtTheGivenPath() throws {
        let functions = [try function("f"), try function("f")]
        #expect(
            FunctionValidator.validate(functions: functions).map(\.description)
                == [
                    #"$.functions[1].name: function "f" is already declared at $.functions[0]; declare each function once"#
                ])
    }
}
