import FcsynthCore

/// An LLM answer as the replay store keeps it: enough to hand a stage the same answer again.
package struct StoredReply: Codable, Sendable, Hashable {
    package var content: String
    package var finishReason: String?
    package var usage: TokenUsage
    package var model: String?

    package init(_ response: ChatResponse) {
        content = response.content
        finishReason = response.finishReason
        usage = response.usage
        model = response.model
    }

    /// Replayed answers took no time: latency histograms keep to real calls.
    package var response: ChatResponse {
        ChatResponse(content: content, finishReason: finishReason, usage: usage, latency: 0, model: model)
    }

    package enum CodingKeys: String, CodingKey {
        case content, usage, model
        case finishReason = "finish_reason"
    }
}
