import FcsynthCore

extension LLMError {
    /// The same error with every occurrence of `key` removed from its message, for servers
    /// that echo the request's headers back.
    package func redacting(_ key: APIKey) -> LLMError {
        switch self {
        case .transport(let kind, let message): .transport(kind, message: key.redact(message))
        case .httpStatus(let status, let message, let retryAfter):
            .httpStatus(status, message: key.redact(message), retryAfter: retryAfter)
        case .invalidResponse(let message): .invalidResponse(key.redact(message))
        case .responseTooLarge: self
        }
    }
}
