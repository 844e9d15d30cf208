import FcsynthCore

/// One parsed reply of the assistant agent: a thought, then function calls, a question for
/// the user, or the final answer.
package struct AssistantTurn: Hashable {
    package struct Call: Hashable {
        package var name: String
        package var arguments: JSONValue
    }

    package enum Action: Hashable {
        case calls([Call])
        /// The request lacks something no function can supply; the user agent answers.
        case question(String)
        case final(String)
    }

    package var thought: String
    package var action: Action

    /// Parses and checks a reply: shape, the numbered plan in the first thought, no final
    /// answer before any function has been called, one call per turn unless parallel calls
    /// are allowed, and every call against the function definitions.
    package init(
        reply: JSONValue, firstTurn: Bool, callsMade: Bool, functions: [FunctionDefinition],
        parallelCalls: Bool
    ) throws(ReplyProblem) {
        let object = try ReplyObject(reply)
        thought = try object.string("thought")
        if firstTurn, !thought.contains("1.") {
            throw ReplyProblem("the first \"thought\" must contain a numbered plan (1. ..., 2. ...)")
        }
        let given = ["tool_calls", "ask_user", "final"].filter { key in
            object.has(key) && object.fields[key] != .array([])
        }
        guard given.count == 1 else {
            throw ReplyProblem(
                given.isEmpty
                    ? "the reply needs one of \"tool_calls\", \"ask_user\" or \"final\""
                    : "the reply has " + given.map { "\"\($0)\"" }.joined(separator: " and ")
                        + "; give only one of them")
        }
        switch given[0] {
        case "final":
            guard callsMade else {
                throw ReplyProblem("call the functions that serve the task before giving a final answer")
            }
            action = .final(try object.string("final"))
        case "ask_user":
            action = .question(try object.string("ask_user"))
        default:
            let calls = try object.objects("tool_calls").map { (call) throws(ReplyProblem) in
                try Self.call(call, functions: functions)
            }
            if calls.count > 1, !parallelCalls {
                throw ReplyProblem("\"tool_calls\" has \(calls.count) calls; make one call per turn")
            }
            action = .calls(calls)
        }
    }

    private static func call(_ object: ReplyObject, functions: [FunctionDefinition]) throws(ReplyProblem) -> Call {
        let name = try object.string("name")
        var arguments = try object.value("arguments")
        // Some models send arguments as a JSON string, the way the OpenAI API carries them.
        if let text = arguments.stringValue, let parsed = JSONParser.parse(text) {
            arguments = parsed
        }
        guard arguments.objectValue != nil else {
            throw ReplyProblem("\(object.path).arguments must be a JSON object, not \(arguments.typeName)")
        }
        let violations = ConversationValidator.validateCall(name: name, arguments: arguments, functions: functions)
        guard violations.isEmpty else {
            throw ReplyProblem(
                "\(object.path) (\(name)) is not a valid call: " + violations.map(\.description).joined(separator: "; ")
            )
        }
        return Call(name: name, arguments: arguments)
    }
}
