import FcsynthCore

extension ConversationState {
    /// Whose move it is, read off the dialogue itself so that the state needs no extra
    /// bookkeeping and a retried step finds the same move.
    package enum Move: Hashable {
        /// Nothing said yet: the user agent opens.
        case userOpening
        /// The assistant asked a question: the user agent answers.
        case userReply
        /// The assistant agent's turn.
        case assistant
        /// A call of the assistant's latest turn still awaits its result from the tool agent.
        case tool(ToolCall)
    }

    package var move: Move {
        guard let last = messages.last else { return .userOpening }
        if last.role == .assistant, last.toolCalls == nil { return .userReply }
        guard let turn = messages.lastIndex(where: { $0.role == .assistant }),
            let calls = messages[turn].toolCalls
        else { return .assistant }
        let answered = Set(messages[(turn + 1)...].compactMap(\.toolCallId))
        if let pending = calls.first(where: { !answered.contains($0.id) }) { return .tool(pending) }
        return .assistant
    }

    /// Tool calls made so far: the next one's id is `call_<count + 1>`.
    package var callCount: Int {
        messages.reduce(0) { $0 + ($1.toolCalls?.count ?? 0) }
    }

    /// The user's opening request.
    package var userRequest: String? {
        messages.first(where: { $0.role == .user })?.content
    }

    /// The calls executed so far, each with its result, in order: what the tool agent has
    /// already said, for it to stay consistent with.
    package var executedCalls: [JSONValue] {
        var calls: [String: ToolCall] = [:]
        var executed: [JSONValue] = []
        for message in messages {
            for call in message.toolCalls ?? [] { calls[call.id] = call }
            guard message.role == .tool, let id = message.toolCallId, let call = calls[id] else { continue }
            executed.append(
                .object([
                    "name": .string(call.function.name),
                    "arguments": JSONParser.parse(call.function.arguments) ?? .object([:]),
                    "result": JSONParser.parse(message.content ?? "") ?? .string(message.content ?? ""),
                ]))
        }
        return executed
    }
}
