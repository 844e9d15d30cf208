import FcsynthCore

extension SequentialTaskGenerator {
    package static func prompt(atomTask: String) -> [ChatMessage] {
        [
            .system(
                "You turn single-step requests into realistic multi-step requests for an AI assistant that can call functions."
            ),
            .user(
                """
                Compose the atomic task below sequentially:

                1. Write a subsequent task that needs the atomic task's output as its input, so that it can only be done after the atomic task. It follows the atomic task's rules: realistic, every detail stated, specific, no mention of tools, about 30 words at most.
                2. Fuse the atomic task and the subsequent task into one composition task: a single natural request, as a user would word it, that keeps every detail of both and lists no steps.

                Example 1
                Atomic task: "Find the ID of the user with the email address jane.doe@example.com."
                {"subsequent_task": "Send a message saying 'Your order has shipped' to the user with that ID.", "composition_task": "Please send 'Your order has shipped' to the user whose email address is jane.doe@example.com."}

                Example 2
                Atomic task: "Get the current exchange rate from US dollars to Japanese yen."
                {"subsequent_task": "Convert 250 US dollars to Japanese yen at that rate.", "composition_task": "How many Japanese yen do I get for 250 US dollars at today's exchange rate?"}

                Example 3
                Atomic task: "Find the highest-rated Italian restaurant within 2 km of 5th Avenue, New York."
                {"subsequent_task": "Book a table for four at that restaurant at 7 pm on 12 June 2025.", "composition_task": "Book a table for four at 7 pm on 12 June 2025 at the best-rated Italian restaurant within 2 km of 5th Avenue, New York."}

                Reply with only this JSON object: {"subsequent_task": "<task>", "composition_task": "<task>"}

                \(PromptData.block(["atom_task": .string(atomTask)]))
                """),
        ]
    }
}
