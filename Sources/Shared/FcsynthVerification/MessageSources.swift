import FcsynthCore

/// What each message of a conversation gives the checks that trace values, worked out once
/// for all of them: a tool message's result parsed, and every message but the assistant's in
/// the forms `SourceText` compares. Adding these in turn reads the same as adding the
/// messages themselves.
struct MessageSources {
    /// Per message: a tool message's result (its text where that is no JSON); nil for the others.
    let results: [JSONValue?]
    /// Per message: what a user, system or tool message adds to the sources; nil for the assistant's.
    let texts: [SourceText?]

    init(_ messages: [OutputMessage]) {
        results = messages.map { message in
            guard message.role == .tool else { return nil }
            return message.content.map { JSONParser.parse($0) ?? .string($0) }
        }
        texts = zip(messages, results).map { message, result in
            var text = SourceText()
            switch message.role {
            case .user: text.add(text: message.content ?? "")
            case .tool:
                guard let result else { return nil }
                text.add(result: result)
            case .system:
                // Context the assistant was given (today's date, the user's name), without the
                // function definitions a training prompt lists in its fenced block.
                text.add(text: ValueChecks.unfenced(message.content ?? ""))
            case .assistant: return nil
            }
            return text
        }
    }
}
