extension LLMError {
    /// Failures that say the endpoint as a whole is unwell, not this request.
    public var isEndpointWide: Bool {
        switch self {
        case .transport: true
        case .httpStatus(let status, _, _): status == 429 || status >= 500
        case .invalidResponse, .responseTooLarge: false
        }
    }
}
