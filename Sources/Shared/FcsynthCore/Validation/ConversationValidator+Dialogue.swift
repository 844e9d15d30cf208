extension ConversationValidator {
    /// A tool call waiting for its result.
    private struct PendingCall {
        var order: Int
        var path: String
        var function: FunctionDefinition?
        var answered = false
    }

    /// The calls of the latest assistant message, while its tool messages are being read.
    private struct CallBlock {
        var messagePath: String
        var calls: [String: PendingCall] = [:]
    }

    /// `failedCalls` are the ids of calls the run made fail on purpose: their results are held
    /// to `ToolErrorKind.resultSchema` instead of the function's `responses`.
    package static func checkDialogue(
        _ messages: [OutputMessage], functions: [FunctionDefinition], failedCalls: Set<String> = []
    ) -> [SchemaViolation] {
        guard !messages.isEmpty else {
            return [
                SchemaViolation(
                    path: "$.messages",
                    message: "expected the system message, the user's request and a final answer, got no messages")
            ]
        }
        var violations: [SchemaViolation] = []
        var usedIds: [String: String] = [:]
        var block: CallBlock?
        for (index, message) in messages.enumerated() {
            let path = JSONPath.index("$.messages", index)
            if message.role != .tool, let open = block.take() {
                violations += unanswered(open)
            }
            let expectedRole: ChatMessage.Role? = index == 0 ? .system : index == 1 ? .user : nil
            if let expectedRole, message.role != expectedRole {
                violations.append(
                    SchemaViolation(
                        path: JSONPath.member(path, "role"),
                        message: "expected \(expectedRole.rawValue), got \(message.role.rawValue)"))
            }
            switch message.role {
            case .system where index == 0:
                if isBlank(message.content) {
                    violations.append(
                        SchemaViolation(path: JSONPath.member(path, "content"), message: "the system message is empty"))
                }
            case .system:
                if index > 1 {
                    violations.append(
                        SchemaViolation(
                            path: JSONPath.member(path, "role"), message: "a system message may only come first"))
                }
            case .user:
                if isBlank(message.content) {
                    violations.append(
                        SchemaViolation(path: JSONPath.member(path, "content"), message: "empty user message"))
                }
            case .assistant:
                if let calls = message.toolCalls, !calls.isEmpty {
                    block = openBlock(calls, at: path, functions: functions, usedIds: &usedIds, into: &violations)
                } else if isBlank(message.content) {
                    violations.append(
                        SchemaViolation(path: path, message: "assistant message has neither content nor tool calls"))
                }
            case .tool:
                if var open = block {
                    answer(message, at: path, in: &open, failedCalls: failedCalls, into: &violations)
                    block = open
                } else {
                    violations.append(
                        SchemaViolation(
                            path: path, message: "tool message does not follow an assistant message with tool calls"))
                }
            }
        }
        if let open = block {
            violations += unanswered(open)
        }
        let last = messages[messages.count - 1]
        if messages.count < 3 || last.role != .assistant || isBlank(last.content) || !(last.toolCalls ?? []).isEmpty {
            violations.append(
                SchemaViolation(
                    path: JSONPath.index("$.messages", messages.count - 1),
                    message: "expected the final answer last: an assistant message with content and no tool calls"))
        }
        return violations
    }

    private static func openBlock(
        _ calls: [ToolCall], at messagePath: String, functions: [FunctionDefinition],
        usedIds: inout [String: String], into violations: inout [SchemaViolation]
    ) -> CallBlock {
        var block = CallBlock(messagePath: messagePath)
        for (index, call) in calls.enumerated() {
            let callPath = JSONPath.index(JSONPath.member(messagePath, "tool_calls"), index)
            let idPath = JSONPath.member(callPath, "id")
            if call.id.isEmpty {
                violations.append(SchemaViolation(path: idPath, message: "missing call id"))
            } else if let first = usedIds[call.id] {
                violations.append(
                    SchemaViolation(
                        path: idPath,
                        message: "call id \(JSONRendering.render(.string(call.id))) is already used at \(first)"))
            } else {
                usedIds[call.id] = callPath
                block.calls[call.id] = PendingCall(
                    order: index, path: callPath, function: functions.first { $0.name == call.function.name })
            }
            if call.type != "function" {
                violations.append(
                    SchemaViolation(
                        path: JSONPath.member(callPath, "type"),
                        message: "expected \"function\", got \(JSONRendering.render(.string(call.type)))"))
            }
            let functionPath = JSONPath.member(callPath, "function")
            let argumentsPath = JSONPath.member(functionPath, "arguments")
            guard let arguments = parse(call.function.arguments) else {
                violations.append(SchemaViolation(path: argumentsPath, message: "arguments are not valid JSON"))
                continue
            }
            violations += validateCall(
                name: call.function.name, arguments: arguments, functions: functions,
                namePath: JSONPath.member(functionPath, "name"), argumentsPath: argumentsPath)
        }
        return block
    }

    private static func answer(
        _ message: OutputMessage, at path: String, in block: inout CallBlock, failedCalls: Set<String>,
        into violations: inout [SchemaViolation]
    ) {
        let idPath = JSONPath.member(path, "tool_call_id")
        guard let id = message.toolCallId else {
            violations.append(
                SchemaViolation(path: idPath, message: "missing; expected the id of a call in \(block.messagePath)"))
            return
        }
        guard let call = block.calls[id] else {
            violations.append(
                SchemaViolation(
                    path: idPath,
                    message: "\(JSONRendering.render(.string(id))) matches no tool call of \(block.messagePath)"))
            return
        }
        guard !call.answered else {
            violations.append(
                SchemaViolation(
                    path: idPath, message: "a second result for tool call \(JSONRendering.render(.string(id)))"))
            return
        }
        block.calls[id]?.answered = true
        let contentPath = JSONPath.member(path, "content")
        guard let content = message.content, let result = parse(content) else {
            violations.append(SchemaViolation(path: contentPath, message: "tool result is not valid JSON"))
            return
        }
        if failedCalls.contains(id) {
            violations += JSONSchemaValidator.validate(result, against: ToolErrorKind.resultSchema, at: contentPath)
        } else if let function = call.function {
            violations += JSONSchemaValidator.validate(result, against: function.responses, at: contentPath)
        }
    }

    private static func unanswered(_ block: CallBlock) -> [SchemaViolation] {
        block.calls.values.filter { !$0.answered }.sorted { $0.order < $1.order }.map {
            SchemaViolation(path: $0.path, message: "no tool message answers this call")
        }
    }

    private static func parse(_ text: String) -> JSONValue? {
        try? JSONCoding.decode(JSONValue.self, from: text)
    }

    private static func isBlank(_ content: String?) -> Bool {
        (content ?? "").allSatisfy(\.isWhitespace)
    }
}
