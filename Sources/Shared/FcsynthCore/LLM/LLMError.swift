/// Why a chat-completion call failed. Messages never carry the API key.
public enum LLMError: Error, Sendable, Hashable {
    public enum TransportKind: String, Sendable, Hashable {
        case connectRefused = "connect_refused"
        case connectionReset = "connection_reset"
        case timeout
        case dns
        case other
    }

    /// The request never got a complete HTTP answer.
    case transport(TransportKind, message: String)
    /// The server answered with a non-2xx status; `message` is the server's error text.
    case httpStatus(Int, message: String, retryAfter: Double?)
    /// A 2xx answer whose body is not a chat completion.
    case invalidResponse(String)
    /// The body grew past the configured limit and was cut off.
    case responseTooLarge(limit: Int)

    /// Transport errors, 429 and 5xx may pass; other 4xx will not.
    public var isRetryable: Bool {
        switch self {
        case .transport: true
        case .httpStatus(let status, _, _): status == 429 || status >= 500
        case .invalidResponse, .responseTooLarge: false
        }
    }

    /// A short stable label for counters and metrics.
    public var kind: String {
        switch self {
        case .transport(let kind, _): "transport_\(kind.rawValue)"
        case .httpStatus(let status, _, _):
            switch status {
            case 401, 403, 429: "http_\(status)"
            case 500...: "http_5xx"
            default: "http_4xx"
            }
        case .invalidResponse: "invalid_response"
        case .responseTooLarge: "response_too_large"
        }
    }
}

extension LLMError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .transport(let kind, let message): "LLM transport error (\(kind.rawValue)): \(message)"
        case .httpStatus(let status, let message, _): "LLM endpoint answered HTTP \(status): \(message)"
        case .invalidResponse(let message): "LLM response is not a chat completion: \(message)"
        case .responseTooLarge(let limit): "LLM response exceeded the \(limit)-byte limit"
        }
    }
}
