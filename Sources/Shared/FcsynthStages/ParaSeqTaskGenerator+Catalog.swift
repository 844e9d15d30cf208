import FcsynthCore

extension ParaSeqTaskGenerator {
    /// In catalog mode: the parallel task is written for a catalog function that takes the same
    /// kind of input as the atomic task's, and the subsequent task for one that takes an
    /// earlier output, or, where none does, for a step the assistant reasons out itself.
    package static func catalogPrompt(
        atomTask: String, lead: FunctionDefinition?, parallel: FunctionDefinition?,
        subsequent: (function: FunctionDefinition, through: String)?
    ) -> [ChatMessage] {
        let parallelStep =
            parallel.map {
                "The parallel task must be one that a call of the function \"\($0.name)\" does, stating a concrete value for each of its required parameters, none of them taken from the atomic task's output."
            } ?? "The parallel task is another request of the same kind as the atomic task, on other values."
        let subsequentStep =
            subsequent.map {
                "The subsequent task must be one that a call of the function \"\($0.function.name)\" does, taking the \"\($0.through)\" an earlier result gives, and using what both earlier tasks found."
            }
            ?? "The subsequent task is one the assistant does itself from both earlier outputs: a comparison, a choice or a calculation, with no function."
        var data: [String: JSONValue] = ["atom_task": .string(atomTask)]
        data["atom_function"] = lead?.json
        data["parallel_function"] = parallel?.json
        data["subsequent_function"] = subsequent?.function.json
        return [
            .system(
                "You turn single-step requests into realistic multi-step requests for an AI assistant that can call functions."
            ),
            .user(
                """
                Compose the atomic task below parallel-then-sequentially:

                1. Write a parallel task whose input does not depend on the atomic task, so that both can be done at the same time. \(parallelStep)
                2. Write a subsequent task that needs the outputs of both the atomic task and the parallel task. \(subsequentStep)
                3. Fuse the three into one composition task: a single natural request, as a user would word it, that keeps every detail and lists no steps.

                Each task is realistic, states every detail, is specific, mentions no tools, functions or parameter names, and has about 30 words at most.

                Reply with only this JSON object: {"parallel_task": "<task>", "subsequent_task": "<task>", "composition_task": "<task>"}

                \(PromptData.block(data))
                """),
        ]
    }
}
