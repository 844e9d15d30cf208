import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

@Suite struct ChatCompletionBodyTests {
    private func encoded(_ request: ChatRequest) throws -> [String: JSONValue] {
        let data = try ChatCompletionBody(model: "qwen", request: request).encoded()
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: data) else {
            throw CocoaError(.coderInvalidValue)
        }
        return fields
    }

    @Test func serviceTierIsSentOnlyWhenTheRequestNamesOne() throws {
        var request = ChatRequest(call: "judge", messages: [.user("hi")])
        #expect(try encoded(request)["service_tier"] == nil)
        request.serviceTier = .flex
        #expect(try encoded(request)["service_tier"] == .string("flex"))
    }

    @Test func fullRequest() throws {
        let messages: [ChatMessage] = [.system("Be \"exact\".\n\\ tabs\there"), .user("Ünïcödé 🚀 </script>")]
        let fields = try encoded(
            ChatRequest(call: "conv_user", messages: messages, temperature: 0.3, maxTokens: 256, jsonMode: true))
        #expect(fields["model"] == .string("qwen"))
        #expect(fields["temperature"] == .number(0.3))
        #expect(fields["max_tokens"] == .number(256))
        #expect(fields["response_format"] == .object(["type": .string("json_object")]))
        #expect(
            fields["messages"]
                == .array(
                    messages.map {
                        .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
                    }))
        #expect(fields["call"] == nil, "the call name travels as a header only")
    }

    @Test func optionalFieldsAreLeftOut() throws {
        let fields = try encoded(ChatRequest(call: "plan", messages: [.user("Hi")]))
        #expect(fields["max_tokens"] == nil)
        #expect(fields["response_format"] == nil)
        #expect(Set(fields.keys) == ["model", "messages", "temperature"])
    }

    @Test func aReplySchemaGoesAsJSONSchemaUnlessTheEndpointTakesLess() throws {
        let schema = JSONValue.object(["type": .string("object"), "required": .array([.string("scenario")])])
        let request = ChatRequest(
            call: "scenario_extract", messages: [.user("Hi")], jsonMode: true, replySchema: schema)
        let full = try ChatCompletionBody(model: "m", request: request, format: .jsonSchema).encoded()
        let format = try JSONDecoder().decode(JSONValue.self, from: full)["response_format"]
        #expect(
            format
                == .object([
                    "type": .string("json_schema"),
                    "json_schema": .object([
                        "name": .string("scenario_extract"), "schema": schema, "strict": .bool(false),
                    ]),
                ]))
        let object = try ChatCompletionBody(model: "m", request: request, format: .jsonObject).encoded()
        #expect(
            try JSONDecoder().decode(JSONValue.self, from: object)["response_format"]
                == .object(["type": .string("json_object")]))
        let off = try ChatCompletionBody(model: "m", request: request, format: .off).encoded()
        #expect(try JSONDecoder().decode(JSONValue.self, from: off)["response_format"] == nil)
        // Without JSON mode no schema is sent, whatever the endpoint takes.
        var plain = request
        plain.jsonMode = false
        let none = try ChatCompletionBody(model: "m", request: plain, format: .jsonSchema).encoded()
        #expect(try JSONDecoder().decode(JSONValue.self, from: none)["response_format"] == nil)
    }
}
