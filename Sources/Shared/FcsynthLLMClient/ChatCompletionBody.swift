import FcsynthCore
import Foundation

/// The JSON body of `POST /chat/completions`.
package struct ChatCompletionBody: Encodable {
    package struct ResponseFormat: Encodable {
        package let type: String
    }

    package let model: String
    package let messages: [ChatMessage]
    package let temperature: Double
    package let maxTokens: Int?
    package let responseFormat: ResponseFormat?

    package init(model: String, request: ChatRequest) {
        self.model = model
        messages = request.messages
        temperature = request.temperature
        maxTokens = request.maxTokens
        responseFormat = request.jsonMode ? ResponseFormat(type: "json_object") : nil
    }

    package enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case maxTokens = "max_tokens"
        case responseFormat = "response_format"
    }

    package func encoded() throws -> Data {
        try JSONCoding.encode(self)
    }
}
