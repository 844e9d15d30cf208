/// What the judge scores in a conversation, each from 1 (fails) to 5 (fully meets it). The raw
/// value names the score in the judge's reply, in lineage and in the status counters.
public enum JudgeCriterion: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    case taskAccomplished = "task_accomplished"
    case argumentsGrounded = "arguments_grounded"
    case finalAnswerConsistent = "final_answer_consistent"
    case userNatural = "user_natural"

    /// The question the judge answers for this criterion, as its prompt puts it.
    public var question: String {
        switch self {
        case .taskAccomplished:
            "Does the assistant accomplish everything the user asked, doing every part of the task with the functions?"
        case .argumentsGrounded:
            "Does every argument value come from what the user said or from earlier function results, with nothing invented?"
        case .finalAnswerConsistent:
            "Does the final answer agree with the function results, reporting their key values and claiming nothing they contradict?"
        case .userNatural:
            "Does the user write like a real person with this need, without naming functions, steps or hints?"
        }
    }

    public static func < (lhs: JudgeCriterion, rhs: JudgeCriterion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
