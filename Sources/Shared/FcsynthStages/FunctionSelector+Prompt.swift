import FcsynthCore

extension FunctionSelector {
    package static func prompt(
        composition: String, subTasks: [String], plan: [[String]], candidates: [FunctionDefinition]
    ) -> [ChatMessage] {
        let steps = zip(subTasks, plan).map { task, planned in
            JSONValue.object(["sub_task": .string(task), "written_for": JSONValue(strings: planned)])
        }
        return [
            .system(
                "You choose, from an API's functions, the ones an AI assistant calls to carry out users' requests."),
            .user(
                """
                Below are a composition task, its sub-tasks in order, and candidate functions from the API. Each sub-task was written for the functions in its "written_for" (none: a step the assistant reasons out itself). For each sub-task, choose the functions the assistant calls to do it:

                - Choose only from "candidates", by name. Logic, comparison and arithmetic get none: the assistant does those itself.
                - Keep a sub-task's "written_for" functions unless one cannot do it; add another candidate only when the sub-task needs it too.
                - List each function once, under the first sub-task that uses it.

                Reply with only this JSON object: {"sub_tasks": [{"sub_task": "<sub-task>", "functions": ["<name>", ...]}, ...]}

                \(PromptData.block(["composition_task": .string(composition), "sub_tasks": .array(steps), "candidates": .array(candidates.map(\.json))]))
                """),
        ]
    }
}
