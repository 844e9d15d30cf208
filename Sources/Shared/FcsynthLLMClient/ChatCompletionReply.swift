import FcsynthCore
import Foundation

/// The parts of a chat-completion answer fcsynth reads, and of an OpenAI-style error body.
package struct ChatCompletionReply: Decodable {
    package struct Choice: Decodable {
        package struct Message: Decodable {
            package let content: String?
        }

        package let message: Message
        package let finishReason: String?

        package enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    package let choices: [Choice]
    package let usage: TokenUsage?
    package let model: String?

    package struct ErrorBody: Decodable {
        package struct Detail: Decodable {
            package let message: String
        }

        package let error: Detail
    }
}
