import Foundation

/// A way the simulator misbehaves, named as it appears in `--faults` and in `[[sim:KIND*N#TAG]]`.
public enum SimulatorFault: String, CaseIterable, Codable, Sendable {
    /// HTTP 500 with an OpenAI-style error body.
    case serverError = "500"
    /// HTTP 429 with `Retry-After`.
    case rateLimited = "429"
    /// HTTP 400 with an OpenAI-style error body.
    case badRequest = "400"
    /// Never answers; the connection stays open until the client gives up.
    case hang
    /// A chat completion whose message content is truncated JSON.
    case malformed
    /// A chat completion whose JSON content is wrapped in prose sentences.
    case prose
    /// A chat completion whose JSON content sits in a json code fence.
    case fence
    /// HTTP 200 with a body that is not a chat completion.
    case body
    /// HTTP 200 with a body far larger than any client limit, streamed.
    case large
    /// Closes the connection without answering.
    case reset

    /// Parses a comma-separated list such as `500,429,hang`.
    public static func list(_ text: String) throws(SimulatorOptionsError) -> [SimulatorFault] {
        try text.split(separator: ",").map { name throws(SimulatorOptionsError) in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let fault = SimulatorFault(rawValue: trimmed) else { throw .unknownFault(trimmed) }
            return fault
        }
    }

    /// Whether the answer is built from the backend's content.
    package var needsBackend: Bool {
        switch self {
        case .malformed, .prose, .fence: true
        case .serverError, .rateLimited, .badRequest, .hang, .body, .large, .reset: false
        }
    }
}
