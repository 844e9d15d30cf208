import FcsynthCore

/// Replaces a record's function names with neutral ones (`function_1`, `function_2`, …), the
/// same name by the same identifier everywhere in the record, so that a model trained on it
/// learns to choose by descriptions rather than by names. The numbering follows a draw from
/// the record id, not the order of the steps, so that `function_1` says nothing either.
package struct FunctionNameMasker: Sendable {
    /// Original name → neutral identifier.
    package let mapping: [String: String]

    package init(record: ConversationRecord) {
        var names = Set(record.functions.map(\.name)).union(record.tools.map(\.function.name))
        for message in record.messages { names.formUnion((message.toolCalls ?? []).map(\.function.name)) }
        let lineage = record.lineage
        names.formUnion((lineage.subTaskFunctions ?? []).flatMap { $0 })
        names.formUnion(lineage.distractors ?? [])
        if let withheld = lineage.withheldFunction { names.insert(withheld) }
        let ordered = names.sorted { first, second in
            let (a, b) = (StableHash.of(record.id + "/" + first), StableHash.of(record.id + "/" + second))
            return a == b ? first < second : a < b
        }
        mapping = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, "function_\($0 + 1)") })
    }

    /// The record with every name replaced: in the tools, the functions, the calls, the
    /// lineage's plan, and in the text of the system and assistant messages.
    package func masked(_ record: ConversationRecord) -> ConversationRecord {
        var masked = record
        masked.tools = record.tools.map { tool in
            var tool = tool
            tool.function.name = name(tool.function.name)
            tool.function.description = text(tool.function.description)
            return tool
        }
        masked.functions = record.functions.map { function in
            var function = function
            function.name = name(function.name)
            function.description = text(function.description)
            return function
        }
        masked.messages = record.messages.map { message in
            var message = message
            message.toolCalls = message.toolCalls?.map { call in
                ToolCall(id: call.id, name: name(call.function.name), arguments: call.function.arguments)
            }
            // A user or a tool never names a function; their words stay as they were.
            if message.role == .system || message.role == .assistant { message.content = message.content.map(text) }
            return message
        }
        masked.lineage.subTaskFunctions = record.lineage.subTaskFunctions?.map { $0.map(name) }
        masked.lineage.distractors = record.lineage.distractors?.map(name)
        masked.lineage.withheldFunction = record.lineage.withheldFunction.map(name)
        masked.lineage.withheldDetail?.function = name(record.lineage.withheldDetail?.function ?? "")
        return masked
    }

    private func name(_ original: String) -> String { mapping[original] ?? original }

    /// Each name where it stands as a whole identifier (not inside a longer one), longest
    /// names first so that `get_flight` does not eat into `get_flight_details`. A name that is
    /// a plain word (`search`) is replaced only in quotes, as JSON writes it, so that the
    /// English word stays.
    private func text(_ original: String) -> String {
        var result = original
        for (from, to) in mapping.sorted(by: { $0.key.count > $1.key.count }) where result.contains(from) {
            let characters = Array(from)
            let codeLike =
                from.contains("_") || from.contains(where: \.isNumber)
                || zip(characters, characters.dropFirst()).contains { $0.isLowercase && $1.isUppercase }
            result =
                codeLike
                ? Self.replacingIdentifier(from, with: to, in: result)
                : result.replacingOccurrences(of: "\"\(from)\"", with: "\"\(to)\"")
        }
        return result
    }

    private static func replacingIdentifier(_ name: String, with replacement: String, in text: String) -> String {
        let isIdentifier = { (character: Character) in character.isLetter || character.isNumber || character == "_" }
        var output = ""
        var rest = text[...]
        while let range = rest.range(of: name) {
            let before = range.lowerBound == rest.startIndex ? output.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            output += rest[..<range.lowerBound]
            let standsAlone = !(before.map(isIdentifier) ?? false) && !(after.map(isIdentifier) ?? false)
            output += standsAlone ? replacement : name
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
