import FcsynthCore
import Foundation

/// The OpenAI chat-completion wire format, as far as the simulator reads and writes it.
package enum SimulatorWire {
    package static let defaultModel = "fcsynth-sim"

    /// A request body turned into the project's `ChatRequest`, plus the model name to echo.
    package struct Incoming {
        package var model: String
        package var request: ChatRequest
        /// `response_format.type` as sent, if any.
        package var responseFormat: String?
        /// `service_tier` as sent, if any.
        package var serviceTier: String?

        /// What the usage and the rate budgets count the prompt by.
        package var promptCharacters: Int { request.messages.reduce(0) { $0 + $1.content.count } }
    }

    package struct DecodingFailure: Error {
        package let message: String
    }

    fileprivate struct RequestBody: Decodable {
        struct Message: Decodable {
            package var role: String
            package var content: JSONValue?
        }

        struct ResponseFormat: Decodable {
            package var type: String
        }

        var model: String?
        var messages: [Message]
        var temperature: Double?
        var maxTokens: Int?
        var maxCompletionTokens: Int?
        var responseFormat: ResponseFormat?
        var serviceTier: String?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
            case maxCompletionTokens = "max_completion_tokens"
            case responseFormat = "response_format"
            case serviceTier = "service_tier"
        }
    }

    /// Reads every request first through `JSONParser`, at a fraction of
    /// `JSONDecoder`'s cost; a body that does not read cleanly that way gets `JSONDecoder`'s
    /// verdict and error message.
    package static func decode(_ body: [UInt8], call: String?) throws(DecodingFailure) -> Incoming {
        let payload: RequestBody
        if let read = body.withUnsafeBufferPointer({ JSONParser.parse(bytes: $0) }).flatMap(RequestBody.init(reading:))
        {
            payload = read
        } else {
            do {
                payload = try JSONCoding.decode(RequestBody.self, from: Data(body))
            } catch {
                throw DecodingFailure(message: "the body is not a chat-completion request: \(error)")
            }
        }
        guard !payload.messages.isEmpty else { throw DecodingFailure(message: "'messages' must not be empty") }
        var messages: [ChatMessage] = []
        for message in payload.messages {
            guard let role = role(message.role) else {
                throw DecodingFailure(message: "unsupported message role '\(message.role)'")
            }
            messages.append(ChatMessage(role: role, content: text(of: message.content)))
        }
        let jsonMode = payload.responseFormat.map { $0.type == "json_object" || $0.type == "json_schema" } ?? false
        return Incoming(
            model: payload.model ?? defaultModel,
            request: ChatRequest(
                call: call ?? "",
                messages: messages,
                temperature: payload.temperature ?? 1,
                maxTokens: payload.maxTokens ?? payload.maxCompletionTokens,
                jsonMode: jsonMode
            ),
            responseFormat: payload.responseFormat?.type,
            serviceTier: payload.serviceTier
        )
    }

    private static func role(_ name: String) -> ChatMessage.Role? {
        name == "developer" ? .system : ChatMessage.Role(rawValue: name)
    }

    /// A string, the text parts of a content array, or nothing.
    private static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text): text
        case .array(let parts): parts.compactMap { $0["text"]?.stringValue }.joined()
        default: ""
        }
    }

    private struct Completion: Encodable {
        struct Choice: Encodable {
            package struct Message: Encodable {
                package var role = "assistant"
                package var content: String
            }

            package var index = 0
            package var message: Message
            package var finishReason: String

            package enum CodingKeys: String, CodingKey {
                case index, message
                case finishReason = "finish_reason"
            }
        }

        struct Usage: Encodable {
            struct Details: Encodable {
                package var cachedTokens: Int

                package enum CodingKeys: String, CodingKey {
                    case cachedTokens = "cached_tokens"
                }
            }

            package var promptTokens: Int
            package var completionTokens: Int
            package var totalTokens: Int
            package var promptTokensDetails: Details?

            package enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
                case totalTokens = "total_tokens"
                case promptTokensDetails = "prompt_tokens_details"
            }
        }

        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage?
        var serviceTier: String?

        enum CodingKeys: String, CodingKey {
            case id, object, created, model, choices, usage
            case serviceTier = "service_tier"
        }
    }

    /// `usage` nil leaves it out of the answer, as some self-hosted servers do; a non-zero
    /// `cachedTokens` is reported as OpenAI does, in `prompt_tokens_details`.
    package static func completion(
        id: String, model: String, content: String, finishReason: String, usage: TokenUsage?,
        serviceTier: String? = nil
    ) -> [UInt8] {
        let body = Completion(
            id: id,
            created: Int(Date().timeIntervalSince1970),
            model: model,
            choices: [.init(message: .init(content: content), finishReason: finishReason)],
            usage: usage.map { usage in
                .init(
                    promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
                    totalTokens: usage.totalTokens,
                    promptTokensDetails: usage.cachedTokens > 0 ? .init(cachedTokens: usage.cachedTokens) : nil)
            },
            serviceTier: serviceTier
        )
        return (try? Array(JSONCoding.encode(body))) ?? []
    }

    /// What an answer reports: about four characters a token, and `cachedShare` of the prompt's
    /// tokens (rounded down) as served from a prompt cache.
    package static func usage(promptCharacters: Int, content: String, cachedShare: Double = 0) -> TokenUsage {
        let prompt = estimatedTokens(promptCharacters)
        return TokenUsage(
            promptTokens: prompt, completionTokens: estimatedTokens(content.count),
            cachedTokens: Int(Double(prompt) * cachedShare))
    }

    /// About four characters per token, as the usual rule of thumb has it.
    package static func estimatedTokens(_ characters: Int) -> Int {
        (characters + 3) / 4
    }

    private struct ErrorEnvelope: Encodable {
        struct Detail: Encodable {
            package var message: String
            package var type: String
            package var code: String?
        }

        var error: Detail
    }

    /// An OpenAI-style error body.
    package static func error(_ message: String, type: String, code: String? = nil) -> [UInt8] {
        let envelope = ErrorEnvelope(error: .init(message: message, type: type, code: code))
        return (try? Array(JSONCoding.encode(envelope))) ?? []
    }
}

extension SimulatorWire.RequestBody {
    /// The request in `value`, or nil when a field has a type the `Decodable` reading would
    /// refuse (or might read differently).
    fileprivate init?(reading value: JSONValue) {
        guard case .object(let fields) = value, case .array(let list)? = fields["messages"] else { return nil }
        var messages: [Message] = []
        for entry in list {
            guard case .object(let message) = entry, case .string(let role)? = message["role"] else { return nil }
            messages.append(Message(role: role, content: message["content"] == .null ? nil : message["content"]))
        }
        func optional<T>(_ key: String, _ read: (JSONValue) -> T?) -> T?? {
            guard let field = fields[key], field != .null else { return .some(nil) }
            return read(field).map { .some($0) }
        }
        func integer(_ field: JSONValue) -> Int? {
            field.numberValue.flatMap { $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil }
        }
        guard let model = optional("model", \.stringValue),
            let temperature = optional("temperature", \.numberValue),
            let maxTokens = optional("max_tokens", integer),
            let maxCompletionTokens = optional("max_completion_tokens", integer),
            let responseFormat = optional(
                "response_format", { $0["type"]?.stringValue.map(ResponseFormat.init(type:)) }),
            let serviceTier = optional("service_tier", \.stringValue)
        else { return nil }
        self.init(
            model: model, messages: messages, temperature: temperature, maxTokens: maxTokens,
            maxCompletionTokens: maxCompletionTokens, responseFormat: responseFormat, serviceTier: serviceTier)
    }
}
