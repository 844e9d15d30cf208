import FcsynthCore
import Foundation

extension HTTPExchange {
    /// The chat completion this answer carries, or the error it stands for.
    package func chatResponse() throws(LLMError) -> ChatResponse {
        guard (200..<300).contains(status) else {
            throw .httpStatus(
                status, message: errorMessage, retryAfter: retryAfter.flatMap { RetryAfter.parse($0) }?.inSeconds)
        }
        return try Self.chatResponse(body)
    }

    /// The chat completion a 2xx body carries: an online answer's, or a batch output line's.
    package static func chatResponse(_ body: Data) throws(LLMError) -> ChatResponse {
        let reply: ChatCompletionReply
        do {
            reply = try JSONCoding.decode(ChatCompletionReply.self, from: body)
        } catch {
            throw .invalidResponse("undecodable body (\(body.count) bytes): \(excerpt(of: body, limit: 200))")
        }
        guard let choice = reply.choices.first else {
            throw .invalidResponse("no choices in the completion")
        }
        // A null content (a refusal, or a model that spent its tokens elsewhere) reads as empty;
        // the stage that parses it decides, with `finishReason` at hand.
        var response = ChatResponse(
            content: choice.message.content ?? "", finishReason: choice.finishReason,
            usage: reply.usage ?? TokenUsage(),
            model: reply.model.flatMap { $0.isEmpty ? nil : $0 })
        response.usageEstimated = reply.usage == nil
        return response
    }

    /// The server's own words: an OpenAI-style `error.message`, else the raw body.
    package var errorMessage: String {
        if let detail = try? JSONCoding.decode(ChatCompletionReply.ErrorBody.self, from: body) {
            return Self.excerpt(of: Data(detail.error.message.utf8), limit: 500)
        }
        return Self.excerpt(of: body, limit: 500)
    }

    package static func excerpt(of bytes: Data, limit: Int) -> String {
        let text = String(decoding: bytes.prefix(limit * 4), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
