import FcsynthCore

extension ScenarioExpander {
    package static func prompt(scenario: String, count: Int) -> [ChatMessage] {
        [
            .system("You invent realistic everyday scenarios in which a person asks an AI assistant for help."),
            .user(
                """
                Below is a real-life scenario. Write \(count) new scenario\(count == 1 ? "" : "s") that differ substantially from it and are just as realistic.

                - Change the action (booking flights -> cancelling a flight) or the subject (booking flights -> booking a table at a restaurant).
                - Each is a short, general phrase of ten words or fewer, with no names, places, dates or amounts.
                - All differ from the given scenario and from one another.

                Reply with only this JSON object: {"scenarios": ["<scenario>", ...]}

                \(PromptData.block(["scenario": .string(scenario), "count": .number(Double(count))]))
                """),
        ]
    }
}
