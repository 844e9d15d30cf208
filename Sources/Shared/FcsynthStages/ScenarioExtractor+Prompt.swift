import FcsynthCore

extension ScenarioExtractor {
    package static func prompt(seed: String) -> [ChatMessage] {
        [
            .system(
                "You read conversations between a user and an AI assistant and name the everyday scenario each one belongs to."
            ),
            .user(
                """
                Name the real-life scenario the conversation below belongs to.

                - Write a short, general phrase of ten words or fewer, such as "booking flights for a trip" or "tracking a parcel delivery".
                - Keep it general: no names, places, dates, amounts or other specifics from the conversation.
                - Name an activity a person could ask an assistant for help with.

                Reply with only this JSON object: {"scenario": "<the scenario>"}

                The conversation:
                \(PromptData.block(["seed_chat": .string(seed)]))
                """),
        ]
    }
}
