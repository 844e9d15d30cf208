/// One meaning check of a conversation. Each has its own violation kind, so that a filter
/// reason, a `fcsynth check` line and a record's lineage all name the rule that spoke.
public enum VerificationRule: String, CaseIterable, Codable, Sendable, Hashable {
    /// Every sub-task that has functions is served by at least one call to one of them.
    case coverage
    /// Every string, number and integer argument can be traced to the user, an earlier result,
    /// or the function's own enum or default.
    case grounding
    /// A value is used only after the result that first gives it; a call never shares a
    /// parallel turn with the call whose output it needs.
    case order
    /// Parallel-then-sequential items call their two independent steps in one turn.
    case parallelStructure = "parallel_structure"
    /// The final answer carries values of the results, and claims no failure they contradict.
    case finalAnswer = "final_answer"
    /// Assistant text never mentions hints or the steps a hint gave.
    case hintLeak = "hint_leak"
    /// User messages never name a function.
    case functionNameInUser = "function_name_in_user"
    /// The system prompt never holds a sub-task's text.
    case subTaskInSystem = "sub_task_in_system"
    /// A number, date or time (an argument, or a figure in the final answer) that no source
    /// gives and no normalisation or derivation reaches: worked out by the assistant (a week's
    /// first day, a 5% threshold, a portfolio's value) or invented. The rules cannot tell which,
    /// so it is measured unless asked for, and the judge reads it.
    case derivedValue = "derived_value"
    /// No call goes to a distractor, a function shown that the item does not need.
    case distractorCall = "distractor_call"
    /// In an `irrelevance` record: no call to the withheld function, and a final answer that
    /// says which part could not be done.
    case unavailableReported = "unavailable_reported"
    /// In a `clarify` record: the assistant asks, and the user answers, before the call that
    /// needs the withheld detail.
    case clarifyFirst = "clarify_first"

    /// Rules that need the task plan (sub-tasks and their functions), which only raw records carry.
    public var needsPlan: Bool {
        switch self {
        case .coverage, .parallelStructure, .subTaskInSystem, .distractorCall, .unavailableReported, .clarifyFirst:
            true
        case .grounding, .order, .finalAnswer, .hintLeak, .functionNameInUser, .derivedValue: false
        }
    }
}
