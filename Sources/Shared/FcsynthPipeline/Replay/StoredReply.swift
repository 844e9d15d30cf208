import FcsynthCore

/// An LLM answer as the replay store keeps it: enough to hand a stage the same answer again.
package struct StoredReply: Codable, Sendable, Hashable {
    package var content: String
    package var finishReason: String?
    package var usage: TokenUsage
    package var model: String?
    /// Nil (left out) when the endpoint reported the usage.
    package var usageEstimated: Bool?

    package init(_ response: ChatResponse) {
        content = response.content
        finishReason = response.finishReason
        usage = response.usage
        model = response.model
        usageEstimated = response.usageEstimated ? true : nil
    }

    /// Replayed answers took no time: latency histograms keep to real calls.
    package var response: ChatResponse {
        var response = ChatResponse(
            content: content, finishReason: finishReason, usage: usage, latency: 0, model: model)
        response.usageEstimated = usageEstimated == true
        return response
    }

    package enum CodingKeys: String, CodingKey {
        case content, usage, model
        case finishReason = "finish_reason"
        case usageEstimated = "usage_estimated"
    }
}
