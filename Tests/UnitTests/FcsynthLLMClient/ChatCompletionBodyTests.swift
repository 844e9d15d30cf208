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
}
