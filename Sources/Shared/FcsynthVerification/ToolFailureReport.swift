import FcsynthCore

/// Whether a conversation met a failed call and told the user: a function returned an
/// `{"error": …}` result, and the final answer says that something could not be done. Such a
/// conversation may leave the steps that depended on the failure undone.
enum ToolFailureReport {
    /// Phrases, normalised, by which an answer owns up to a part it could not do.
    static let admissions = [
        "could not", "couldn t", "unable to", "failed", "error", "not found", "was not able", "wasn t able",
        "did not work", "not possible", "cannot",
    ]

    static func reported(in messages: [OutputMessage]) -> Bool {
        let failed = messages.contains { message in
            message.role == .tool && message.content.flatMap(JSONParser.parse)?["error"] != nil
        }
        guard failed,
            let answer = messages.last(where: { $0.role == .assistant && ($0.toolCalls ?? []).isEmpty })?
                .content
        else { return false }
        let text = TextForms.normalized(answer)
        return admissions.contains { TextForms.contains(text, phrase: $0) }
    }
}
