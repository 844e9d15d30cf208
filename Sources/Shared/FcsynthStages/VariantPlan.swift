import FcsynthCore

/// How an item's conversation is set up for its variant: which functions the assistant is
/// shown (the needed ones, less a withheld one, with the distractors, shuffled), and what is
/// held back. Worked out afresh at every step from the item and the run's settings, so that
/// every step, retried or not, sees the same.
package struct VariantPlan: Hashable {
    /// The variant the conversation is built as: the one drawn, or `standard` when the item
    /// cannot take it (one function only for `irrelevance`, no argument the user must give
    /// for `clarify`).
    package var variant: ItemVariant
    /// In `irrelevance`: the needed function the assistant is not shown.
    package var withheldFunction: String?
    /// In `clarify`: the argument the user leaves out of the request.
    package var withheldDetail: WithheldDetail?
    /// What the user agent is told to leave out: `{"parameter", "description"}`.
    package var withheldDetailPrompt: JSONValue?
    /// Distractors shown, after names the item needs were dropped.
    package var distractors: [FunctionDefinition]
    /// The functions in the assistant's system prompt and in the record's `tools`.
    package var shown: [FunctionDefinition]

    package init(item: WorkItem, subTasks: [SubTask], settings: PipelineSettings) {
        let needed = subTasks.distinctFunctions
        var variant = ItemVariant.choice(for: item.id, settings: settings)
        var withheldFunction: String?
        var detail: (WithheldDetail, String)?
        switch variant {
        case .irrelevance:
            // The last function designed serves the last step that has any, so the earlier
            // steps can still be done; an item with one function would be left with nothing.
            if needed.count >= 2 { withheldFunction = needed.last?.name } else { variant = .standard }
        case .clarify:
            detail = Self.detailToWithhold(subTasks: subTasks)
            if detail == nil { variant = .standard }
        case .standard:
            break
        }
        self.variant = variant
        self.withheldFunction = withheldFunction
        withheldDetail = detail?.0
        withheldDetailPrompt = detail.map { detail, description in
            .object(["parameter": .string(detail.parameter), "description": .string(description)])
        }
        let neededNames = Set(needed.map(\.name))
        var seen: Set<String> = []
        distractors = (item.distractors ?? []).filter {
            !neededNames.contains($0.name) && seen.insert($0.name).inserted
        }
        let available = needed.filter { $0.name != withheldFunction }
        shown =
            distractors.isEmpty
            ? available : Self.shuffled(available + distractors, seed: StableHash.of(item.id + "/tools"))
    }

    /// Whether the step serves (in part) through the withheld function.
    package func isUnavailable(_ subTask: SubTask) -> Bool {
        guard let withheldFunction else { return false }
        return subTask.functions.contains { $0.name == withheldFunction }
    }

    /// A required argument of the first step's first function that the user must give: a
    /// string or a number with no enum, default or const (those need no asking). The first
    /// step waits for no other, so its values can only come from the user.
    private static func detailToWithhold(subTasks: [SubTask]) -> (WithheldDetail, String)? {
        guard let function = subTasks.first(where: { !$0.functions.isEmpty })?.functions.first else { return nil }
        let properties = function.parameters["properties"]?.objectValue ?? [:]
        let required = function.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for parameter in required {
            guard let schema = properties[parameter],
                ["string", "integer", "number"].contains(schema["type"]?.stringValue ?? ""),
                schema["enum"] == nil, schema["default"] == nil, schema["const"] == nil
            else { continue }
            let description =
                schema["description"]?.stringValue ?? String(parameter.map { $0 == "_" ? " " : $0 })
            return (WithheldDetail(function: function.name, parameter: parameter), description)
        }
        return nil
    }

    /// Fisher–Yates with the project's own generator, so that the order is the same in every
    /// process and Swift version.
    private static func shuffled(_ functions: [FunctionDefinition], seed: UInt64) -> [FunctionDefinition] {
        var result = functions
        var mixer = SplitMix64(seed: seed)
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = Int(mixer.next() % UInt64(index + 1))
            result.swapAt(index, other)
        }
        return result
    }
}
