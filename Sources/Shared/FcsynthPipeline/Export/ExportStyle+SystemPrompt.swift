import FcsynthStages

extension ExportStyle {
    /// The system text a line carries: a training system prompt loses its tool list, which the
    /// line holds in `tools`, unless `systemPromptTools` keeps it; any other text is kept.
    package func systemText(_ text: String) -> String {
        guard !systemPromptTools, let instruction = MultiTurnConversationGenerator.trainingInstruction(of: text) else {
            return text
        }
        return instruction
    }
}
