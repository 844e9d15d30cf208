/// One line of a batch file: a chat-completion request, named so that its answer finds its way back.
public struct BatchRequest: Sendable, Hashable {
    /// Unique within the batch; the provider returns it with the answer.
    public var customID: String
    public var request: ChatRequest

    public init(customID: String, request: ChatRequest) {
        self.customID = customID
        self.request = request
    }
}
