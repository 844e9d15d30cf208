import FcsynthCore

/// An assistant message that calls tools, with the tool messages that answer it. Both training
/// formats need every call answered, by id, before the conversation goes on; OpenAI rejects a
/// call left hanging, and LLaMA-Factory would pair the wrong result with a call.
package struct ToolTurn {
    package var calls: [ToolCall]
    /// The text the assistant wrote along with its calls, if any.
    package var thought: String?
    /// One tool message per call, in the order of `calls`.
    package var results: [OutputMessage]
    /// The index of the first message after the results.
    package var end: Int

    /// Reads the turn that starts with the assistant message at `start`.
    package init(messages: ArraySlice<OutputMessage>, at start: Int) throws(ExportFailure) {
        let call = messages[start]
        calls = call.toolCalls ?? []
        thought = call.content.flatMap { $0.isEmpty ? nil : $0 }
        precondition(!calls.isEmpty, "a tool turn starts with an assistant message that calls tools")

        var slots = [String: Int](minimumCapacity: calls.count)
        for (position, toolCall) in calls.enumerated() {
            guard !toolCall.id.isEmpty else { throw ExportFailure("a call to \(toolCall.function.name) has no id") }
            guard slots.updateValue(position, forKey: toolCall.id) == nil else {
                throw ExportFailure("two calls in one turn share the id \(toolCall.id)")
            }
            guard JSONSyntax.kind(of: toolCall.function.arguments) == .object else {
                throw ExportFailure("the arguments of \(toolCall.function.name) (\(toolCall.id)) are not a JSON object")
            }
        }

        var answers = [OutputMessage?](repeating: nil, count: calls.count)
        var index = start + 1
        while index < messages.endIndex, messages[index].role == .tool {
            let result = messages[index]
            guard let id = result.toolCallId, let position = slots[id] else {
                throw ExportFailure(
                    "a tool message answers \(result.toolCallId ?? "no id"), not a call of the turn before it")
            }
            guard answers[position] == nil else { throw ExportFailure("the call \(id) has two results") }
            guard result.content != nil else { throw ExportFailure("the result of \(id) has no content") }
            answers[position] = result
            index += 1
        }
        if let missing = answers.firstIndex(where: { $0 == nil }) {
            throw ExportFailure("the call \(calls[missing].id) to \(calls[missing].function.name) has no result")
        }
        results = answers.compactMap { $0 }
        end = index
    }
}
