import FcsynthCore

extension FunctionGenerator {
    package static func prompt(composition: String, subTasks: [String]) -> [ChatMessage] {
        [
            .system("You design the functions (APIs) that an AI assistant calls to carry out users' requests."),
            .user(
                """
                Below are a composition task and its sub-tasks, in order. For each sub-task, design the functions the assistant would call to do it.

                - A sub-task gets zero, one or several functions. Logic, comparison and arithmetic get none: the assistant does those itself.
                - Make functions general and fine-grained, as a real API offers them ("search_flights", "get_flight_details"), never a restatement of the task ("find_cheapest_flight_from_lisbon_to_oslo").
                - When calls chain, one function's output feeds the next one's input: name the output property and the later parameter alike (a "flight_id" returned, a "flight_id" parameter).
                - Define each function once, under the first sub-task that uses it; a later sub-task that uses it again lists no new function for it.
                - Each function has a snake_case "name", a "description", "parameters" and "responses".
                - "parameters" is a JSON Schema object: {"type": "object", "properties": {...}, "required": [...]}, every property with a "type" and a "description". Types are string, number, integer, boolean, object and array (with "items"); use "enum" for fixed choices and "anyOf" for alternatives.
                - "responses" is a JSON Schema object for what the function returns: {"type": "object", "properties": {...}, "required": [...]}, every property with a "type" and a "description".

                Example of one function:
                {"name": "get_exchange_rate", "description": "Get the current exchange rate between two currencies.", "parameters": {"type": "object", "properties": {"base": {"type": "string", "description": "ISO 4217 code of the currency to convert from"}, "target": {"type": "string", "description": "ISO 4217 code of the currency to convert to"}}, "required": ["base", "target"]}, "responses": {"type": "object", "properties": {"rate": {"type": "number", "description": "Units of the target currency per unit of the base currency"}, "as_of": {"type": "string", "description": "Time of the quote, ISO 8601"}}, "required": ["rate"]}}

                Copy each sub-task exactly, in the order given.

                Reply with only this JSON object: {"sub_tasks": [{"sub_task": "<sub-task>", "functions": [<function>, ...]}, ...]}

                \(PromptData.block(["composition_task": .string(composition), "sub_tasks": JSONValue(strings: subTasks)]))
                """),
        ]
    }
}
