import FcsynthCore

extension AtomTaskGenerator {
    /// In catalog mode: one task per lead function, each one that function does in one call.
    package static func catalogPrompt(scenario: String, leads: [FunctionDefinition]) -> [ChatMessage] {
        let count = leads.count
        return [
            .system(
                "You write realistic requests that a person could make of an AI assistant that can call functions."),
            .user(
                """
                Write \(count) atomic task\(count == 1 ? "" : "s") for the scenario below, task \(count == 1 ? "" : "i ")for the function \(count == 1 ? "given" : "at position i of \"functions\""): a request that one call of that function does. An atomic task:

                1. is realistic in the scenario and can be done in a single step;
                2. states a concrete value for every required parameter of its function (a name, a place, a date, an amount, an id), written as a person would, so that it needs no private knowledge and no clarifying question;
                3. is specific enough that the call and its arguments are clear;
                4. does not mention tools, functions or parameter names, and does not hint at how to solve it;
                5. has about 30 words at most, with no vague adjectives.

                If the function does not fit the scenario well, write the closest realistic request the function serves.

                Reply with only this JSON object: {"atom_tasks": ["<task>", ...]}

                \(PromptData.block(["scenario": .string(scenario), "count": .number(Double(count)), "functions": .array(leads.map(\.json))]))
                """),
        ]
    }
}
