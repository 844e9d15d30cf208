import FcsynthCore
extension CompositionTaskFilter {
    package static func prompt(composition: String, subTasks: [String]) -> [ChatMessage] {
        [
            .system("You check multi-step requests for an AI assistant before they are used as training data."),
            .user("""
            Below are a composition task and the sub-tasks it was built from. Decide whether doing the sub-tasks in the order given completes the composition task.

            Check that:
            - each sub-task can be done with the information in the composition task and the outputs of the sub-tasks before it;
            - every sub-task is needed, and together they do everything the composition task asks;
            - the composition task states every detail its sub-tasks need, so that no clarifying question is needed;
            - the order respects what each sub-task needs from the others.

            Reason first in "analysis" (a few sentences), then give the verdict in "feasible".

            Reply with only this JSON object: {"analysis": "<your reasoning>", "feasible": true or false}

            \(PromptData.block(["composition_task": .string(composition), "sub_tasks": JSONValue(strings: subTasks)]))
            """),
        ]
    }
}
