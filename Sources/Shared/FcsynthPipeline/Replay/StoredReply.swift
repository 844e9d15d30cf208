import FcsynthCore

/// An LLM answer as the replay store keeps it: enough to hand a stage the same answer again.
package struct StoredReply: Codable, Sendable, Hashable {
    package var content: String
    package var finishReason: String?
    package var usage: TokenUsage
    package var model: String?
    /// Nil (left out) when the endpoint reported the usage.
    package var usageEstimated: Bool?
    /// How long the endpoint took, so that the attempt that counts an answer whose own
    /// attempt died counts its time too; nil in answers stored before it was kept.
    package var latencyMilliseconds: Int?
    /// Came through the provider's Batch API, at the batch price; nil (left out) online.
    package var batch: Bool?

    package init(_ response: ChatResponse) {
        content = response.content
        finishReason = response.finishReason
        usage = response.usage
        model = response.model
        usageEstimated = response.usageEstimated ? true : nil
        latencyMilliseconds = Self.milliseconds(response.latency)
    }

    package var milliseconds: Int { latencyMilliseconds ?? 0 }

    package static func milliseconds(_ seconds: Double) -> Int {
        seconds.isFinite && seconds > 0 ? Int((seconds * 1000).rounded()) : 0
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
        case latencyMilliseconds = "latency_ms"
        case batch
    }
}
