import FcsynthCore

extension ConversationJudge {
    /// The task, the functions with their sub-tasks, and the dialogue with calls and results
    /// parsed, so that the judge reads values rather than escaped strings. The training system
    /// prompt stays out: it only lists the tools, which come here with their definitions.
    package static func prompt(_ record: ConversationRecord) -> [ChatMessage] {
        let criteria = JudgeCriterion.allCases.map { "- \"\($0.rawValue)\": \($0.question)" }.joined(separator: "\n")
        let format = JudgeCriterion.allCases.map {
            "\"\($0.rawValue)\": {\"score\": <1 to 5>, \"reason\": \"<one line>\"}"
        }.joined(separator: ", ")
        let functionNames = record.lineage.subTaskFunctions ?? []
        let withheld = record.lineage.withheldFunction
        let subTasks = record.lineage.subTasks.enumerated().map { index, task in
            let names = functionNames.indices.contains(index) ? functionNames[index] : []
            var step: [String: JSONValue] = [
                "sub_task": .string(task), "functions": JSONValue(strings: names.filter { $0 != withheld }),
            ]
            if let withheld, names.contains(withheld) { step["unavailable"] = .bool(true) }
            return JSONValue.object(step)
        }
        let functions = record.functions.map { function in
            JSONValue.object([
                "name": .string(function.name), "description": .string(function.description),
                "parameters": function.parameters,
            ])
        }
        let data: [String: JSONValue] = [
            "composition_task": .string(record.lineage.compositionTask),
            "sub_tasks": .array(subTasks),
            "functions": .array(functions),
            "conversation": .array(record.messages.filter { $0.role != .system }.map(turn)),
        ]
        return [
            .system(
                "You review synthetic training conversations in which an AI assistant calls functions. You are strict and consistent."
            ),
            .user(
                """
                Below are a task a user needed done, the sub-tasks it breaks into with the functions for each, and a conversation in which an assistant did it by calling those functions. Function results are what the functions returned; treat them as true. A function may have returned an error on purpose: then the task counts as accomplished when the assistant did all it still could and told the user plainly what could not be done. A sub-task marked "unavailable" has, on purpose, no function that can do it in full: it counts as accomplished when the assistant did not pretend to do it and told the user plainly that it could not. Functions no sub-task names were offered as distractors: a call to one is a wrong choice.

                Score the conversation from 1 to 5 on each criterion (5: fully meets it; 3: minor problems; 1: fails it), each with a one-line reason:
                \(criteria)

                Reply with only this JSON object: {\(format)}

                \(PromptData.block(data))
                """),
        ]
    }

    private static func turn(_ message: OutputMessage) -> JSONValue {
        var fields: [String: JSONValue] = ["role": .string(message.role.rawValue)]
        if let content = message.content, !content.isEmpty {
            fields[message.role == .tool ? "result" : "content"] =
                message.role == .tool ? JSONParser.parse(content) ?? .string(content) : .string(content)
        }
        if let calls = message.toolCalls {
            fields["tool_calls"] = .array(
                calls.map { call in
                    .object([
                        "id": .string(call.id), "name": .string(call.function.name),
                        "arguments": JSONParser.parse(call.function.arguments) ?? .string(call.function.arguments),
                    ])
                })
        }
        if let id = message.toolCallId { fields["tool_call_id"] = .string(id) }
        return .object(fields)
    }
}
