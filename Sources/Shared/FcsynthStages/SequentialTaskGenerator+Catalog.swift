import FcsynthCore

extension SequentialTaskGenerator {
    /// In catalog mode: the subsequent task is written for a catalog function that takes the
    /// atomic task's output, or, where none does, for a step the assistant reasons out itself.
    package static func catalogPrompt(
        atomTask: String, lead: FunctionDefinition?, subsequent: (function: FunctionDefinition, through: String)?
    ) -> [ChatMessage] {
        let step =
            subsequent.map {
                "The subsequent task must be one that a call of the function \"\($0.function.name)\" does, taking the \"\($0.through)\" that the atomic task's result gives; it states a concrete value for every other required parameter of that function."
            }
            ?? "No function takes the atomic task's output, so the subsequent task is one the assistant does itself from that output: a comparison, a choice or a calculation, with no function."
        var data: [String: JSONValue] = ["atom_task": .string(atomTask)]
        data["atom_function"] = lead?.json
        data["subsequent_function"] = subsequent?.function.json
        return [
            .system(
                "You turn single-step requests into realistic multi-step requests for an AI assistant that can call functions."
            ),
            .user(
                """
                Compose the atomic task below sequentially:

                1. Write a subsequent task that needs the atomic task's output as its input, so that it can only be done after the atomic task. \(step) It follows the atomic task's rules: realistic, every detail stated, specific, no mention of tools, functions or parameter names, about 30 words at most.
                2. Fuse the atomic task and the subsequent task into one composition task: a single natural request, as a user would word it, that keeps every detail of both and lists no steps.

                Reply with only this JSON object: {"subsequent_task": "<task>", "composition_task": "<task>"}

                \(PromptData.block(data))
                """),
        ]
    }
}
