import FcsynthCore

extension LLMError {
    /// The wait the server asked for, if it said.
    package var retryAfter: Duration? {
        guard case .httpStatus(_, _, let seconds?) = self else { return nil }
        return .seconds(seconds)
    }
}
