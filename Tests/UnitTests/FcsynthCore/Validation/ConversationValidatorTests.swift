import Testing

@testable import FcsynthCore

@Suite struct ConversationValidatorTests {
    private func messages(_ change: (inout ConversationRecord) throws -> Void) throws -> [String] {
        var record = try ValidationFixtures.record()
        try change(&record)
        return ConversationValidator.validate(record).map(\.description)
    }

    @Test func acceptsAValidConversation() throws {
        #expect(try messages { _ in } == [])
    }

    @Test func acceptsFurtherUserTurns() throws {
        #expect(
            try messages { record in
                record.messages += [
                    OutputMessage(role: .user, content: "And in Berlin?"),
                    OutputMessage(
                        role: .assistant, content: "Checking.",
                        toolCalls: [ValidationFixtures.call("call_4", "get_weather", #"{"city": "Berlin"}"#)]),
                    OutputMessage(
                        role: .tool, content: #"{"temperature": 12, "conditions": "rain"}"#, toolCallId: "call_4"),
                    OutputMessage(role: .assistant, content: "Berlin: 12°C and rain."),
                ]
            } == [])
    }

    @Test func rejectsACallToAnUndeclaredFunction() throws {
        #expect(
            try messages { record in
                record.messages[5].toolCalls![0].function.name = "get_forecast"
            } == [
                #"$.messages[5].tool_calls[0].function.name: function "get_forecast" is not declared; declared functions: get_weather, convert_temperature"#
            ])
    }

    @Test func rejectsArgumentsThatBreakTheParameters() throws {
        #expect(
            try messages { record in
                record.messages[2].toolCalls![0].function.arguments = #"{"units": "metric"}"#
                record.messages[2].toolCalls![1].function.arguments = #"{"city": 42, "days": "3", "country": "JP"}"#
            } == [
                "$.messages[2].tool_calls[0].function.arguments.city: required property missing",
                "$.messages[2].tool_calls[1].function.arguments.city: expected string, got integer",
                "$.messages[2].tool_calls[1].function.arguments.country: property not declared in the schema",
                "$.messages[2].tool_calls[1].function.arguments.days: expected integer, got string",
            ])
    }

    @Test func rejectsArgumentsThatAreNotAJSONObject() throws {
        #expect(
            try messages { record in
                record.messages[2].toolCalls![0].function.arguments = #"{"city": "Paris""#
                record.messages[2].toolCalls![1].function.arguments = #"["Tokyo"]"#
            } == [
                "$.messages[2].tool_calls[0].function.arguments: arguments are not valid JSON",
                "$.messages[2].tool_calls[1].function.arguments: expected a JSON object, got array",
            ])
    }

    @Test func rejectsAToolResultOffTheResponsesSchema() throws {
        #expect(
            try messages { record in
                record.messages[3].content = #"{"temperature": "warm"}"#
                record.messages[6].content = "70.7 degrees"
            } == [
                "$.messages[3].content.conditions: required property missing",
                "$.messages[3].content.temperature: expected number, got string",
                "$.messages[6].content: tool result is not valid JSON",
            ])
    }

    @Test func rejectsAMissingToolMessage() throws {
        #expect(
            try messages { record in
                record.messages.remove(at: 4)
            } == ["$.messages[2].tool_calls[0]: no tool message answers this call"])
    }

    @Test func rejectsADuplicateCallId() throws {
        #expect(
            try messages { record in
                record.messages[5].toolCalls![0].id = "call_1"
                record.messages[6].toolCallId = "call_1"
            } == [
                #"$.messages[5].tool_calls[0].id: call id "call_1" is already used at $.messages[2].tool_calls[0]"#,
                #"$.messages[6].tool_call_id: "call_1" matches no tool call of $.messages[5]"#,
            ])
    }

    @Test func rejectsAMismatchedOrRepeatedToolCallId() throws {
        #expect(
            try messages { record in
                record.messages[3].toolCallId = "call_9"
            } == [
                #"$.messages[3].tool_call_id: "call_9" matches no tool call of $.messages[2]"#,
                "$.messages[2].tool_calls[1]: no tool message answers this call",
            ])
        #expect(
            try messages { record in
                record.messages[3].toolCallId = "call_1"
            } == [
                #"$.messages[4].tool_call_id: a second result for tool call "call_1""#,
                "$.messages[2].tool_calls[1]: no tool message answers this call",
            ])
        #expect(
            try messages { record in
                record.messages[3].toolCallId = nil
            } == [
                "$.messages[3].tool_call_id: missing; expected the id of a call in $.messages[2]",
                "$.messages[2].tool_calls[1]: no tool message answers this call",
            ])
    }

    @Test func rejectsAToolMessageWithoutACall() throws {
        #expect(
            try messages { record in
                record.messages.insert(OutputMessage(role: .tool, content: "{}", toolCallId: "call_x"), at: 2)
            } == ["$.messages[2]: tool message does not follow an assistant message with tool calls"])
    }

    @Test func requiresAFinalAnswer() throws {
        let expected = [
            "$.messages[6]: expected the final answer last: an assistant message with content and no tool calls"
        ]
        #expect(try messages { record in record.messages.removeLast() } == expected)
        #expect(
            try messages { record in record.messages[7].content = " " } == [
                "$.messages[7]: assistant message has neither content nor tool calls",
                "$.messages[7]: expected the final answer last: an assistant message with content and no tool calls",
            ])
    }

    @Test func requiresTheSystemMessageFirstAndTheUserRequestSecond() throws {
        #expect(
            try messages { record in record.messages.removeFirst() } == [
                "$.messages[0].role: expected system, got user",
                "$.messages[1].role: expected user, got assistant",
            ])
        #expect(
            try messages { record in record.messages[0].content = "" } == [
                "$.messages[0].content: the system message is empty"
            ])
        #expect(
            try messages { record in
                record.messages.insert(OutputMessage(role: .system, content: "Hints"), at: 7)
            } == ["$.messages[7].role: a system message may only come first"])
        #expect(
            try messages { record in record.messages = [] }
                == ["$.messages: expected the system message, the user's request and a final answer, got no messages"])
    }

    @Test func rejectsAnEmptyUserMessage() throws {
        #expect(
            try messages { record in record.messages[1].content = nil } == ["$.messages[1].content: empty user message"]
        )
    }

    @Test func toolsMustMatchTheFunctions() throws {
        #expect(
            try messages { record in record.tools.removeLast() }
                == [#"$.functions[1]: function "convert_temperature" is missing from tools"#])
        #expect(
            try messages { record in record.tools.append(record.tools[0]) }
                == ["$.tools: lists a function more than once"])
        #expect(
            try messages { record in record.tools[0].function.name = "get_forecast" } == [
                #"$.tools[0].function.name: "get_forecast" is not among the declared functions"#,
                #"$.functions[0]: function "get_weather" is missing from tools"#,
            ])
        #expect(
            try messages { record in record.tools[1].function.parameters = .object(["type": .string("object")]) }
                == ["$.tools[1].function: description or parameters differ from the declared function's"])
    }

    @Test func functionsMustPassTheFunctionValidator() throws {
        #expect(
            try messages { record in
                record.functions[1].description = ""
                record.tools[1] = ToolDefinition(record.functions[1])
            } == ["$.functions[1].description: must not be empty"])
    }

    @Test func validatesOneCall() throws {
        let functions = [try ValidationFixtures.weather()]
        #expect(
            ConversationValidator.validateCall(
                name: "get_weather", arguments: try json(#"{"city": "Oslo", "days": 3}"#), functions: functions) == [])
        #expect(
            ConversationValidator.validateCall(
                name: "get_weather", arguments: try json(#"{"days": 9, "foo": 1}"#), functions: functions
            ).map(\.description) == [
                "$.arguments.city: required property missing",
                "$.arguments.days: expected a value <= 7, got 9",
                "$.arguments.foo: property not declared in the schema",
            ])
        #expect(
            ConversationValidator.validateCall(name: "get_weather", arguments: .string("Oslo"), functions: functions)
                .map(\.description)
                == ["$.arguments: expected a JSON object, got string"])
        #expect(
            ConversationValidator.validateCall(name: "weather", arguments: .object([:]), functions: functions).map(
                \.description)
                == [#"$.name: function "weather" is not declared; declared functions: get_weather"#])
    }
}
