/// One line of a finished batch's output or error file.
public struct BatchResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case answered(ChatResponse)
        /// The provider's error for this request: a non-2xx answer, or a line it never ran
        /// (`batch_expired`, `batch_cancelled`).
        case failed(code: String, message: String)
    }

    public var customID: String
    public var outcome: Outcome

    public init(customID: String, outcome: Outcome) {
        self.customID = customID
        self.outcome = outcome
    }
}
