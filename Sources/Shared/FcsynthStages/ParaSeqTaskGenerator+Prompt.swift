import FcsynthCore

extension ParaSeqTaskGenerator {
    package static func prompt(atomTask: String) -> [ChatMessage] {
        [
            .system(
                "You turn single-step requests into realistic multi-step requests for an AI assistant that can call functions."
            ),
            .user(
                """
                Compose the atomic task below parallel-then-sequentially:

                1. Write a parallel task whose input does not depend on the atomic task's output, so that the two can be done at the same time, yet which belongs to the same situation.
                2. Write a subsequent task that needs the outputs of both the atomic task and the parallel task, so that it can only be done after both.
                3. Fuse the three into one composition task: a single natural request, as a user would word it, that keeps every detail and lists no steps.

                The new tasks follow the atomic task's rules: realistic, every detail stated, specific, no mention of tools, about 30 words at most.

                Example 1
                Atomic task: "Get the weather forecast for Paris on 3 May 2025."
                {"parallel_task": "Get the weather forecast for Rome on 3 May 2025.", "subsequent_task": "Say which of the two cities will be warmer on 3 May 2025.", "composition_task": "Which will be warmer on 3 May 2025, Paris or Rome?"}

                Example 2
                Atomic task: "Find the price of a return train ticket from Berlin to Prague on 8 August 2025."
                {"parallel_task": "Find the price of a return bus ticket from Berlin to Prague on 8 August 2025.", "subsequent_task": "Book the cheaper of the two tickets for Anna Weber.", "composition_task": "Book Anna Weber the cheaper of a return train or bus ticket from Berlin to Prague on 8 August 2025."}

                Example 3
                Atomic task: "Look up the nutrition facts of 100 g of cooked brown rice."
                {"parallel_task": "Look up the nutrition facts of 150 g of grilled chicken breast.", "subsequent_task": "Add up the calories of both portions and log them as today's lunch.", "composition_task": "Log a lunch of 100 g cooked brown rice and 150 g grilled chicken breast with its total calories."}

                Reply with only this JSON object: {"parallel_task": "<task>", "subsequent_task": "<task>", "composition_task": "<task>"}

                \(PromptData.block(["atom_task": .string(atomTask)]))
                """),
        ]
    }
}
