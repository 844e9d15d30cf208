/// One parsed reply of the assistant agent: a thought, then either function calls or the
/// final answer.
struct AssistantTurn: Hashable {
    struct Call: Hashable {
        var name: String
        var arguments: JSONValue
    }

    enum Action: Hashable {
        case calls([Call])
        case final(String)
    }

    var thought: String
    var action: Action

    /// Parses and checks a reply: shape, the numbered plan in the first thought, no final
    /// answer before any function has been called, one call per turn unless parallel calls
    /// are allowed, and every call against the function definitions.
    init(reply: JSONValue, firstTurn: Bool, functions: [FunctionDefinition], parallelCalls: Bool) throws(ReplyProblem) {
        let object = try ReplyObject(reply)
        thought = try object.string("thought")
        if firstTurn, !thought.contains("1.") {
            throw ReplyProblem("the first \"thought\" must contain a numbered plan (1. ..., 2. ...)")
        }
        let callsGiven = object.has("tool_calls") && object.fields["tool_calls"] != .array([])
        switch (callsGiven, object.has("final")) {
        case (true, true):
            throw ReplyProblem("the reply has both \"tool_calls\" and \"final\"; give one of them")
        case (false, false):
            throw ReplyProblem("the reply needs either \"tool_calls\" or \"final\"")
        case (false, true):
            guard !firstTurn else {
                throw ReplyProblem("call the functions that serve the task before giving a final answer")
            }
            action = .final(try object.string("final"))
        case (true, false):
            let calls = try object.objects("tool_calls").map { (call) throws(ReplyProblem) in try Self.call(call, functions: functions) }
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
            throw ReplyProblem("\(object.path) (\(name)) is not a valid call: " + violations.map(\.description).joined(separator: "; "))
        }
        return Call(name: name, arguments: arguments)
    }
}
