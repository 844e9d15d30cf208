import FcsynthCore
import Foundation

/// The JSON body of `POST /chat/completions`.
package struct ChatCompletionBody: Encodable {
    package struct ResponseFormat: Encodable {
        package struct Schema: Encodable {
            package let name: String
            package let schema: JSONValue
            /// Not strict: OpenAI's strict mode refuses schemas that leave properties optional.
            package let strict = false
        }

        package let type: String
        package let jsonSchema: Schema?

        package enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }
    }

    package let model: String
    package let messages: [ChatMessage]
    package let temperature: Double
    package let maxTokens: Int?
    package let responseFormat: ResponseFormat?
    package let serviceTier: String?

    /// `format` is what the endpoint accepts, which may be less than the request asks for.
    package init(model: String, request: ChatRequest, format: ResponseFormatLevel = .jsonSchema) {
        self.model = model
        messages = request.messages
        temperature = request.temperature
        maxTokens = request.maxTokens
        serviceTier = request.serviceTier?.rawValue
        switch (format, request.replySchema) {
        case (.jsonSchema, let schema?) where request.jsonMode:
            let name = String(request.call.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
            responseFormat = ResponseFormat(type: "json_schema", jsonSchema: .init(name: name, schema: schema))
        case (.jsonSchema, _) where request.jsonMode, (.jsonObject, _) where request.jsonMode:
            responseFormat = ResponseFormat(type: "json_object", jsonSchema: nil)
        default:
            responseFormat = nil
        }
    }

    package enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case maxTokens = "max_tokens"
        case responseFormat = "response_format"
        case serviceTier = "service_tier"
    }

    package func encoded() throws -> Data {
        try JSONCoding.encode(self)
    }
}
