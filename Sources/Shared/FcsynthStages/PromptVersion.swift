import FcsynthCore

/// A fingerprint of every stage's prompt templates, for records to state which prompts asked
/// for them. The templates are rendered with fixed placeholder data and hashed, so that any
/// change to their wording, and nothing else, gives a new value.
public enum PromptVersion {
    public static let current: String = {
        let subTasks = [
            SubTask(task: "<step 1>", functions: [placeholderFunction]),
            SubTask(task: "<step 2>", functions: [placeholderFunction]),
        ]
        let dialogue = ConversationState(messages: [OutputMessage(role: .user, content: "<request>")], rounds: 0)
        let rendered: [[ChatMessage]] = [
            ScenarioExtractor.prompt(seed: "<seed>"),
            ScenarioExpander.prompt(scenario: "<scenario>", count: 2),
            AtomTaskGenerator.prompt(scenario: "<scenario>", count: 2),
            SequentialTaskGenerator.prompt(atomTask: "<task>"),
            ParaSeqTaskGenerator.prompt(atomTask: "<task>"),
            CompositionTaskFilter.prompt(composition: "<task>", subTasks: ["<step 1>", "<step 2>"], mode: .sequential),
            CompositionTaskFilter.prompt(
                composition: "<task>", subTasks: ["<step 1>", "<step 2>", "<step 3>"], mode: .paraSeq),
            FunctionGenerator.prompt(composition: "<task>", subTasks: ["<step 1>", "<step 2>"]),
            AtomTaskGenerator.catalogPrompt(scenario: "<scenario>", leads: [placeholderFunction]),
            SequentialTaskGenerator.catalogPrompt(
                atomTask: "<task>", lead: placeholderFunction, subsequent: (placeholderFunction, "<parameter>")),
            SequentialTaskGenerator.catalogPrompt(atomTask: "<task>", lead: placeholderFunction, subsequent: nil),
            ParaSeqTaskGenerator.catalogPrompt(
                atomTask: "<task>", lead: placeholderFunction, parallel: placeholderFunction,
                subsequent: (placeholderFunction, "<parameter>")),
            ParaSeqTaskGenerator.catalogPrompt(
                atomTask: "<task>", lead: placeholderFunction, parallel: nil, subsequent: nil),
            FunctionSelector.prompt(
                composition: "<task>", subTasks: ["<step 1>", "<step 2>"], plan: [["<function>"], []],
                candidates: [placeholderFunction]),
            MultiTurnConversationGenerator.userPrompt(composition: "<task>"),
            MultiTurnConversationGenerator.userReplyPrompt(composition: "<task>", dialogue: dialogue),
            MultiTurnConversationGenerator.userPrompt(
                composition: "<task>",
                withholding: .object(["parameter": .string("<parameter>"), "description": .string("<detail>")])),
            MultiTurnConversationGenerator.userReplyPrompt(
                composition: "<task>", dialogue: dialogue,
                withheld: .object(["parameter": .string("<parameter>"), "description": .string("<detail>")])),
            MultiTurnConversationGenerator.assistantPrompt(
                subTasks: subTasks, mode: .sequential, parallelCalls: true,
                dialogue: dialogue),
            MultiTurnConversationGenerator.assistantPrompt(
                subTasks: subTasks, mode: .paraSeq, parallelCalls: false,
                dialogue: dialogue),
            MultiTurnConversationGenerator.toolPrompt(
                function: placeholderFunction, arguments: .object([:]),
                request: "<request>"),
            MultiTurnConversationGenerator.toolErrorPrompt(
                function: placeholderFunction, arguments: .object([:]), request: "<request>", kind: .notFound),
            ConversationJudge.prompt(placeholderRecord),
            [
                .system(
                    MultiTurnConversationGenerator.trainingSystemPrompt(tools: [ToolDefinition(placeholderFunction)]))
            ],
        ]
        var hash = StableHash.of("fcsynth prompts")
        for message in rendered.joined() {
            hash = (hash ^ StableHash.of(message.role.rawValue + "\u{1F}" + message.content)) &* 0x0000_0100_0000_01B3
        }
        return "p" + String(hash, radix: 16)
    }()

    private static let placeholderRecord = ConversationRecord(
        id: "<id>", messages: [OutputMessage(role: .user, content: "<request>")],
        tools: [ToolDefinition(placeholderFunction)], functions: [placeholderFunction],
        lineage: Lineage(
            run: "<run>", line: 1, itemId: "<id>", scenario: "<scenario>", atomTask: "<task>",
            compositionMode: .sequential, compositionTask: "<task>", subTasks: ["<step 1>"],
            subTaskFunctions: [[placeholderFunction.name]]),
        usage: TokenUsage())

    private static let placeholderFunction = FunctionDefinition(
        name: "placeholder_function", description: "<description>",
        parameters: .object(["type": .string("object"), "properties": .object([:])]),
        responses: .object(["type": .string("object"), "properties": .object([:])]))
}
