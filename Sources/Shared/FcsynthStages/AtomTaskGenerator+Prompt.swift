import FcsynthCore

extension AtomTaskGenerator {
    package static func prompt(scenario: String, count: Int) -> [ChatMessage] {
        [
            .system(
                "You write realistic requests that a person could make of an AI assistant that can call functions."),
            .user(
                """
                Write \(count) atomic task\(count == 1 ? "" : "s") for the scenario below. An atomic task:

                1. is realistic and can be done in a single step;
                2. states every detail and constraint it needs (names, places, dates, amounts), so that it needs no private knowledge and no clarifying question;
                3. is specific enough that the function calls and arguments that solve it are clear;
                4. does not mention tools or functions, and does not hint at how to solve it;
                5. has about 30 words at most, with no vague adjectives.

                Examples:
                - Scenario "booking flights for a trip": "Find the direct flights from Lisbon to Oslo on 14 March 2025 that leave before noon."
                - Scenario "checking the weather": "Get the hourly temperature forecast for Kyoto on 2 November 2024."
                \(count > 1 ? "\nThe tasks must differ from one another in what they ask.\n" : "")
                Reply with only this JSON object: {"atom_tasks": ["<task>", ...]}

                \(PromptData.block(["scenario": .string(scenario), "count": .number(Double(count))]))
                """),
        ]
    }
}
