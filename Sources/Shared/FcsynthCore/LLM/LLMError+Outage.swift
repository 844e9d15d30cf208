extension LLMError {
    /// Failures that say the endpoint as a whole is unwell, or refuses this fleet, not this request.
    public var isEndpointWide: Bool {
        switch self {
        case .transport: true
        case .httpStatus(let status, _, _): status == 429 || status >= 500 || isCredentialRefusal
        case .invalidResponse, .responseTooLarge: false
        }
    }

    /// HTTP 401 or 403: the endpoint refuses the key, which is the fleet's configuration and no
    /// fault of the item, so work waits for it to be fixed rather than dying.
    public var isCredentialRefusal: Bool {
        if case .httpStatus(let status, _, _) = self { return status == 401 || status == 403 }
        return false
    }
}
