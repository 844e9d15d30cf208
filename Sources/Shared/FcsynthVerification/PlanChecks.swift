import FcsynthCore

/// The rules that read the plan: every step served, dependent steps in later turns, and the
/// parallel steps of a parallel-then-sequential task called together.
enum PlanChecks {
    static func findings(in messages: [OutputMessage], plan: TaskPlan) -> [VerificationFinding] {
        let turns = messages.enumerated().compactMap { index, message -> (index: Int, names: [String])? in
            guard message.role == .assistant, let calls = message.toolCalls, !calls.isEmpty else { return nil }
            return (index, calls.map(\.function.name))
        }
        let called = Set(turns.flatMap(\.names))
        var findings: [VerificationFinding] = []
        // A failed call the answer owns up to excuses the steps left undone after it.
        let excused = ToolFailureReport.reported(in: messages)
        // A step the withheld function served cannot be done; the answer must say so instead.
        let owned = VariantChecks.ownsUp(messages)
        for (step, functions) in plan.functions.enumerated()
        where !excused && !functions.isEmpty && called.isDisjoint(with: functions)
            && !(owned && plan.withheldFunction.map(functions.contains) == true)
        {
            findings.append(
                VerificationFinding(
                    rule: .coverage, path: "$.messages",
                    detail: "sub-task \(step + 1) is never served: no call to \(functions.joined(separator: " or "))"))
        }
        for turn in turns {
            findings += sharedTurnFindings(turn.names, at: turn.index, plan: plan)
        }
        if let finding = parallelFinding(turns.map(\.names), plan: plan) {
            findings.append(finding)
        }
        return findings + VariantChecks.findings(in: messages, plan: plan)
    }

    /// The steps a function serves.
    private static func steps(of name: String, in plan: TaskPlan) -> Set<Int> {
        Set(plan.functions.enumerated().filter { $0.element.contains(name) }.map(\.offset))
    }

    /// Two calls in one turn where every step of the second needs a step of the first.
    private static func sharedTurnFindings(_ names: [String], at index: Int, plan: TaskPlan) -> [VerificationFinding] {
        guard names.count > 1 else { return [] }
        var findings: [VerificationFinding] = []
        let distinct = Set(names).sorted()
        for first in distinct {
            for second in distinct where first != second {
                let earlier = steps(of: first, in: plan)
                let dependent = steps(of: second, in: plan)
                guard !earlier.isEmpty, !dependent.isEmpty, earlier.isDisjoint(with: dependent) else { continue }
                let needs = dependent.allSatisfy { step in
                    !earlier.isDisjoint(with: plan.mode.prerequisites(ofStep: step, count: plan.subTasks.count))
                }
                if needs {
                    findings.append(
                        VerificationFinding(
                            rule: .order, path: "$.messages[\(index)].tool_calls",
                            detail: "\(second) shares a turn with \(first), whose result it needs"))
                }
            }
        }
        return findings
    }

    private static func parallelFinding(_ turns: [[String]], plan: TaskPlan) -> VerificationFinding? {
        guard plan.mode == .paraSeq, plan.parallelCallsAllowed, plan.functions.count >= 3 else { return nil }
        let independent = plan.functions.dropLast().filter { !$0.isEmpty }
        guard independent.count >= 2 else { return nil }
        let together = turns.contains { names in
            var remaining = names
            for functions in independent {
                guard let match = remaining.firstIndex(where: functions.contains) else { return false }
                remaining.remove(at: match)
            }
            return true
        }
        return together
            ? nil
            : VerificationFinding(
                rule: .parallelStructure, path: "$.messages",
                detail: "the independent steps are called in separate turns")
    }
}
