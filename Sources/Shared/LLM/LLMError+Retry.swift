extension LLMError {
    /// The wait the server asked for, if it said.
    var retryAfter: Duration? {
        guard case .httpStatus(_, _, let seconds?) = self else { return nil }
        return .seconds(seconds)
    }
}
