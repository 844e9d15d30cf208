/// Runs a catalog function for real (`--tool-executor`): the user's sandbox answers each call,
/// and its answer becomes the tool result, in place of one the tool agent writes.
public protocol ToolExecutor: Sendable {
    /// Where calls go, as records name it (`host[:port]`), never with credentials.
    var endpoint: String { get }
    /// The function's answer. Throws `ToolExecutorError` when the executor cannot be reached or
    /// fails itself (a 5xx), so that the step is retried; a refusal of the call is an answer.
    func execute(name: String, arguments: JSONValue) async throws -> ToolExecution
}

/// What the executor answered a call with.
public enum ToolExecution: Sendable, Hashable {
    /// The function's result, as it returned it.
    case result(JSONValue)
    /// The call failed on its merits (a 4xx, or a body with `error`): the tool error the
    /// assistant must handle, with the executor's message.
    case error(kind: ToolErrorKind, message: String)
}

/// The executor did not answer the call: retried like a failed LLM call.
public struct ToolExecutorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "tool executor: \(message)" }
}
