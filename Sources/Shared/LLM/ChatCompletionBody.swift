import Foundation

/// The JSON body of `POST /chat/completions`.
struct ChatCompletionBody: Encodable {
    struct ResponseFormat: Encodable {
        let type: String
    }

    let model: String
    let messages: [ChatMessage]
    let temperature: Double
    let maxTokens: Int?
    let responseFormat: ResponseFormat?

    init(model: String, request: ChatRequest) {
        self.model = model
        messages = request.messages
        temperature = request.temperature
        maxTokens = request.maxTokens
        responseFormat = request.jsonMode ? ResponseFormat(type: "json_object") : nil
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case maxTokens = "max_tokens"
        case responseFormat = "response_format"
    }

    func encoded() throws -> Data {
        try JSONCoding.encode(self)
    }
}
