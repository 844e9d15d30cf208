import FcsynthCore
import FcsynthStages

extension SimulatedLLM {
    /// Scores a conversation as a careful reader would at a glance, so that the judge stage's
    /// filter can be driven end to end: a sub-task no call serves, an argument found nowhere
    /// earlier, a final answer with none of the results' values (or claiming a failure no
    /// result shows), or a user naming a function each score 2 (1 when nothing was called).
    /// Sound conversations score 4 or 5.
    package static func judgement(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let turns = data["conversation"]?.arrayValue ?? []
        let functions = data["functions"]?.arrayValue ?? []
        func pass(_ reason: String) -> JSONValue {
            .object(["score": .number(random.next() % 3 == 0 ? 4 : 5), "reason": .string(reason)])
        }
        func fail(_ reason: String, score: Int = 2) -> JSONValue {
            .object(["score": .number(Double(score)), "reason": .string(reason)])
        }
        let called = Set(turns.flatMap { $0["tool_calls"]?.arrayValue ?? [] }.compactMap { $0["name"]?.stringValue })
        let unserved = (data["sub_tasks"]?.arrayValue ?? []).compactMap { step -> String? in
            let names = step["functions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            // A step left undone for want of a function is judged by the answer's admission.
            if step["unavailable"]?.boolValue == true { return nil }
            return !names.isEmpty && names.allSatisfy({ !called.contains($0) }) ? step["sub_task"]?.stringValue : nil
        }
        let failed = turns.contains { $0["result"]?["error"] != nil }
        let untraced = untracedArgument(turns: turns, functions: functions)
        // A step left without its function is owned up to as a failure would be.
        let unavailable = (data["sub_tasks"]?.arrayValue ?? []).contains { $0["unavailable"]?.boolValue == true }
        let answer = finalAnswerProblem(turns: turns, admissionExpected: unavailable)
        let leaked = userLeak(turns: turns, functions: functions)
        return .object([
            JudgeCriterion.taskAccomplished.rawValue: unserved.isEmpty
                ? pass("Every part of the request is done with the functions.")
                : failed && answer == nil
                    ? pass("A function failed; the assistant did what it could and said what failed.")
                    : fail("Not done: \(unserved[0])", score: called.isEmpty ? 1 : 2),
            JudgeCriterion.argumentsGrounded.rawValue: untraced.map { fail("The value \($0) comes from nowhere.") }
                ?? pass("Every argument comes from the user or an earlier result."),
            JudgeCriterion.finalAnswerConsistent.rawValue: answer.map { fail($0) }
                ?? pass("The answer reports what the results say."),
            JudgeCriterion.userNatural.rawValue: leaked.map { fail("The user names \($0), as no real user would.") }
                ?? pass("The user asks in plain words."),
        ])
    }

    /// The first top-level argument value that neither the dialogue before its call nor the
    /// parameter's enum or default holds.
    private static func untracedArgument(turns: [JSONValue], functions: [JSONValue]) -> String? {
        var seen = ""
        for turn in turns {
            if let content = turn["content"]?.stringValue, turn["role"]?.stringValue == "user" {
                seen += " " + content.lowercased()
            }
            if let result = turn["result"] { seen += " " + PromptData.serialize(result).lowercased() }
            for call in turn["tool_calls"]?.arrayValue ?? [] {
                let name = call["name"]?.stringValue
                let properties = functions.first { $0["name"]?.stringValue == name }?["parameters"]?["properties"]
                for (key, value) in (call["arguments"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let allowed =
                        (properties?[key]?["enum"]?.arrayValue ?? []) + [properties?[key]?["default"] ?? .null]
                    guard !allowed.contains(value), let text = scalarText(value), !isTakenOnTrust(text),
                        !seen.contains(text.lowercased())
                    else { continue }
                    return "\"\(text)\" of \(name ?? "a call").\(key)"
                }
            }
        }
        return nil
    }

    /// Dates, times and short codes (a currency, a country) are taken on trust, since people
    /// write them in many ways.
    private static func isTakenOnTrust(_ text: String) -> Bool {
        let dateOrTime = text.contains(where: \.isNumber) && text.allSatisfy { $0.isNumber || "-:T ".contains($0) }
        let code = (2...3).contains(text.count) && text.allSatisfy(\.isUppercase)
        return dateOrTime || code
    }

    private static let failureWords = [
        "could not", "couldn't", "unable to", "failed", "nothing was found", "no results",
    ]

    /// Why the final answer disagrees with the results: it carries none of their values, or
    /// it claims a failure while no result is an error.
    private static func finalAnswerProblem(turns: [JSONValue], admissionExpected: Bool) -> String? {
        guard
            let answer = turns.last(where: { $0["role"]?.stringValue == "assistant" && $0["tool_calls"] == nil })?[
                "content"]?.stringValue?.lowercased()
        else { return "There is no final answer." }
        let results = turns.compactMap { $0["result"] }
        let failed = results.contains { $0["error"] != nil }
        if !failed, !admissionExpected, let claim = failureWords.first(where: answer.contains) {
            return "The answer says \"\(claim)\", but every call succeeded."
        }
        let values = results.flatMap(scalarLeaves).compactMap(scalarText).filter { $0.count > 1 }
        guard values.isEmpty || values.contains(where: { answer.contains($0.lowercased()) }) else {
            return "The answer reports none of the results' values."
        }
        return nil
    }

    private static func userLeak(turns: [JSONValue], functions: [JSONValue]) -> String? {
        let names = functions.compactMap { $0["name"]?.stringValue }
        for turn in turns where turn["role"]?.stringValue == "user" {
            let text = (turn["content"]?.stringValue ?? "").lowercased()
            if let name = names.first(where: { text.contains($0.lowercased()) }) { return name }
        }
        return nil
    }

    private static func scalarLeaves(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let fields): fields.keys.sorted().flatMap { scalarLeaves(fields[$0]!) }
        case .array(let elements): elements.flatMap(scalarLeaves)
        default: [value]
        }
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let number): written(number)
        default: nil
        }
    }
}
