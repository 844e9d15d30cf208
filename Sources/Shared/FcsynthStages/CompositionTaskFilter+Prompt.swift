import FcsynthCore

extension CompositionTaskFilter {
    /// The sub-tasks go with the steps each must wait for, so that the check knows which run
    /// side by side and which need others' results.
    package static func prompt(composition: String, subTasks: [String], mode: CompositionMode) -> [ChatMessage] {
        let steps = subTasks.enumerated().map { index, task in
            JSONValue.object([
                "step": .number(Double(index + 1)),
                "sub_task": .string(task),
                "after_steps": .array(
                    mode.prerequisites(ofStep: index, count: subTasks.count).map { .number(Double($0 + 1)) }),
            ])
        }
        let structure =
            switch mode {
            case .sequential: "The sub-tasks form a chain: each one uses the output of the one before it."
            case .paraSeq:
                "The first sub-tasks are independent of each other and run side by side; the last one needs all of their outputs."
            }
        return [
            .system("You check multi-step requests for an AI assistant before they are used as training data."),
            .user(
                """
                Below are a composition task and the sub-tasks it was built from. Decide whether doing the sub-tasks in the order given completes the composition task.

                \(structure) "after_steps" lists the steps each sub-task must wait for.

                Check that:
                - each sub-task can be done with the information in the composition task and the outputs of the sub-tasks before it;
                - every sub-task is needed, and together they do everything the composition task asks;
                - the composition task states every detail its sub-tasks need, so that no clarifying question is needed;
                - the order respects what each sub-task needs from the others, and sub-tasks said to be independent really need nothing from each other.

                Reason first in "analysis" (a few sentences), then give the verdict in "feasible".

                Reply with only this JSON object: {"analysis": "<your reasoning>", "feasible": true or false}

                \(PromptData.block(["composition_task": .string(composition), "sub_tasks": JSONValue(strings: subTasks), "steps": .array(steps)]))
                """),
        ]
    }
}
