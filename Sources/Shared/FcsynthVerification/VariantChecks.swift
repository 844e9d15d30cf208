import FcsynthCore

/// The rules of tool selection and negative samples: no call to a distractor; in an
/// `irrelevance` record no call to the withheld function and an answer that owns up to the
/// part left undone; in a `clarify` record the question, and its answer, before the call that
/// needs the withheld detail.
enum VariantChecks {
    /// Phrases, normalised, by which an answer says that a part could not be done: those of a
    /// failed call, and those of a missing capability.
    static let admissions =
        ToolFailureReport.admissions + [
            "can t", "not able to", "no function", "not available", "unavailable", "do not have", "don t have",
            "no way to", "not supported",
        ]

    static func findings(in messages: [OutputMessage], plan: TaskPlan) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        let distractors = Set(plan.distractors)
        for (index, message) in messages.enumerated() where message.role == .assistant {
            for (position, call) in (message.toolCalls ?? []).enumerated() {
                let path = "$.messages[\(index)].tool_calls[\(position)]"
                if distractors.contains(call.function.name) {
                    findings.append(
                        VerificationFinding(
                            rule: .distractorCall, path: path,
                            detail: "\(call.function.name) is a distractor: no part of the request needs it"))
                }
                if call.function.name == plan.withheldFunction {
                    findings.append(
                        VerificationFinding(
                            rule: .unavailableReported, path: path,
                            detail: "\(call.function.name) was withheld, and cannot be called"))
                }
            }
        }
        if let withheld = plan.withheldFunction, !ownsUp(messages) {
            findings.append(
                VerificationFinding(
                    rule: .unavailableReported, path: "$.messages",
                    detail: "the final answer does not say what could not be done without \(withheld)"))
        }
        if let detail = plan.withheldDetail, let finding = clarifyFinding(messages, detail: detail) {
            findings.append(finding)
        }
        return findings
    }

    /// Whether the final answer says that some part could not be done.
    static func ownsUp(_ messages: [OutputMessage]) -> Bool {
        guard let last = messages.last, last.role == .assistant, (last.toolCalls ?? []).isEmpty,
            let answer = last.content
        else { return false }
        let text = TextForms.normalized(answer)
        return admissions.contains { TextForms.contains(text, phrase: $0) }
    }

    /// The first call of the function that needs the detail must follow a question of the
    /// assistant's and the user's answer to it; and the user's opening must not already give
    /// the value that call passes, or there was nothing to ask.
    private static func clarifyFinding(_ messages: [OutputMessage], detail: WithheldDetail) -> VerificationFinding? {
        guard
            let callIndex = messages.firstIndex(where: { message in
                (message.toolCalls ?? []).contains { $0.function.name == detail.function }
            })
        else {
            return VerificationFinding(
                rule: .clarifyFirst, path: "$.messages",
                detail: "\(detail.function), which needs the withheld \(detail.parameter), is never called")
        }
        let path = "$.messages[\(callIndex)]"
        let before = messages[..<callIndex]
        guard
            let question = before.firstIndex(where: { $0.role == .assistant && ($0.toolCalls ?? []).isEmpty }),
            before[(question + 1)...].contains(where: { $0.role == .user })
        else {
            return VerificationFinding(
                rule: .clarifyFirst, path: path,
                detail: "\(detail.function) is called before the assistant asks for \(detail.parameter)")
        }
        guard let opening = messages.firstIndex(where: { $0.role == .user }),
            let call = messages[callIndex].toolCalls?.first(where: { $0.function.name == detail.function }),
            let value = JSONParser.parse(call.function.arguments)?[detail.parameter]?.stringValue,
            value.count >= 3
        else { return nil }
        let phrase = TextForms.normalized(value)
        let holds = { (index: Int) in
            TextForms.contains(TextForms.normalized(messages[index].content ?? ""), phrase: phrase)
        }
        if holds(opening) {
            return VerificationFinding(
                rule: .clarifyFirst, path: "$.messages[\(opening)].content",
                detail: "the user's first message already gives \(detail.parameter) (\(value)): nothing was withheld")
        }
        // An assistant that names the value in its question knew it: the question was for show.
        if let asked = (question..<callIndex).first(where: { messages[$0].role == .assistant && holds($0) }) {
            return VerificationFinding(
                rule: .clarifyFirst, path: "$.messages[\(asked)].content",
                detail: "the assistant states \(detail.parameter) (\(value)) before the user gives it")
        }
        return nil
    }
}
