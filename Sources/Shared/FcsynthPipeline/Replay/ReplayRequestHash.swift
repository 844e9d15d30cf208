import FcsynthCore
import FcsynthStages
import Foundation

/// Names an LLM request by what decides its answer: the model, the messages, the sampling
/// and length settings, the reply format, and the prompt version (16 hex digits of FNV-1a
/// over their canonical JSON). Within one task a collision is out of reach.
package enum ReplayRequestHash {
    package static func of(_ request: ChatRequest, model: String) -> String {
        var object: [String: JSONValue] = [
            "model": .string(model),
            "call": .string(request.call),
            "messages": .array(
                request.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) }),
            "temperature": .number(request.temperature),
            "json_mode": .bool(request.jsonMode),
            "prompt_version": .string(PromptVersion.current),
        ]
        if let maxTokens = request.maxTokens { object["max_tokens"] = .number(Double(maxTokens)) }
        if let schema = request.replySchema { object["reply_schema"] = schema }
        let canonical = (try? JSONTreeEncoder.encode(JSONValue.object(object))) ?? []
        let digits = String(StableHash.fnv1a(canonical), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
