import FcsynthCore
import Foundation

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
    /// Lossless fixes made to the calls' arguments (numbers sent as strings).
    package var repairs: [ReplyRepair] = []

    /// Parses and checks a reply: shape, the numbered plan in the first thought, no final
    /// answer before any function has been called, one call per turn unless parallel calls
    /// are allowed, and every call against the function definitions.
    package init(
        reply: JSONValue, firstTurn: Bool, callsMade: Bool, functions: [FunctionDefinition],
        parallelCalls: Bool
    ) throws(ReplyProblem) {
        let object = try ReplyObject(reply)
        thought = try object.string("thought")
        if firstTurn, !Self.holdsPlan(thought) {
            throw ReplyProblem("the first \"thought\" must contain a numbered plan (1. ..., 2. ...)")
        }
        // An empty action is no action: `"final": ""` beside real calls does not make two.
        let given = ["tool_calls", "ask_user", "final"].filter { key in
            guard object.has(key), let value = object.fields[key], value != .array([]) else { return false }
            return value.stringValue.map { !$0.allSatisfy(\.isWhitespace) } ?? true
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
            var repairs: [ReplyRepair] = []
            let calls = try object.objects("tool_calls").map { (call) throws(ReplyProblem) in
                try Self.call(call, functions: functions, repairs: &repairs)
            }
            self.repairs = repairs
            if calls.count > 1, !parallelCalls {
                throw ReplyProblem("\"tool_calls\" has \(calls.count) calls; make one call per turn")
            }
            action = .calls(calls)
        }
    }

    /// A plan written as "1." or "1)", as "Step 1", or as a list of two items or more.
    package static func holdsPlan(_ thought: String) -> Bool {
        if thought.contains("1.") || thought.contains("1)") { return true }
        if thought.range(of: #"\bstep\s*1\b"#, options: [.regularExpression, .caseInsensitive]) != nil { return true }
        let bullets = thought.split(whereSeparator: \.isNewline).filter { line in
            let trimmed = line.drop { $0.isWhitespace }
            return trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("• ")
        }
        return bullets.count >= 2
    }

    private static func call(
        _ object: ReplyObject, functions: [FunctionDefinition], repairs: inout [ReplyRepair]
    )
        throws(ReplyProblem) -> Call
    {
        let name = try object.string("name")
        var arguments = try object.value("arguments")
        // Some models send arguments as a JSON string, the way the OpenAI API carries them.
        if let text = arguments.stringValue, let parsed = JSONParser.parse(text) {
            arguments = parsed
        }
        guard arguments.objectValue != nil else {
            throw ReplyProblem("\(object.path).arguments must be a JSON object, not \(arguments.typeName)")
        }
        if let function = functions.first(where: { $0.name == name }) {
            let coerced = SchemaCoercion.coerced(arguments, to: function.parameters, droppingExtraKeys: false)
            arguments = coerced.value
            repairs += coerced.repairs
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
