import FcsynthCore

/// Grounding and order of argument values: each value a call sends must come from the user,
/// from a result the assistant already had, or from the function's own schema.
enum ValueChecks {
    static func findings(in conversation: VerifiableConversation, sources: MessageSources) -> [VerificationFinding] {
        let messages = conversation.messages
        var findings: [VerificationFinding] = []
        var known = SourceText()
        for (index, message) in messages.enumerated() {
            switch message.role {
            case .user, .tool, .system:
                if let text = sources.texts[index] { known.add(text) }
            case .assistant:
                guard let calls = message.toolCalls, !calls.isEmpty else { continue }
                // Built when a value first needs it: most calls have none that is not grounded.
                var later: SourceText?
                func laterSources() -> SourceText {
                    let results = later ?? laterResults(after: index, in: sources)
                    later = results
                    return results
                }
                for (position, call) in calls.enumerated() {
                    guard let arguments = JSONParser.parse(call.function.arguments) else { continue }
                    let schema = conversation.functions.first { $0.name == call.function.name }?.parameters ?? .null
                    let path = "$.messages[\(index)].tool_calls[\(position)].function.arguments"
                    for leaf in leaves(of: arguments, schema: schema, path: path) where !isGrounded(leaf, in: known) {
                        if leaf.isFigure {
                            // Tools echo their inputs, so a later result holding it says nothing of order.
                            findings.append(
                                VerificationFinding(
                                    rule: .derivedValue, path: leaf.path,
                                    detail:
                                        "\(call.function.name) argument \(leaf.name) = \(leaf.rendered) is no value the user, an earlier result or the schema gives, nor one the rules derive from them"
                                ))
                        } else if isGrounded(leaf, in: laterSources()) {
                            findings.append(
                                VerificationFinding(
                                    rule: .order, path: leaf.path,
                                    detail:
                                        "\(call.function.name) uses \(leaf.rendered), which only a later or same-turn result gives"
                                ))
                        } else {
                            findings.append(
                                VerificationFinding(
                                    rule: .grounding, path: leaf.path,
                                    detail:
                                        "\(call.function.name) argument \(leaf.name) = \(leaf.rendered) comes from neither the user, an earlier result nor the schema"
                                ))
                        }
                    }
                }
            }
        }
        return findings
    }

    /// A scalar argument value, with what its schema allows without a source.
    struct Leaf {
        var path: String
        var name: String
        var value: JSONValue
        var allowed: [JSONValue]
        /// The parameter's name and description, lower-cased: what kind of value it asks for.
        var meaning: String = ""

        var rendered: String { JSONRendering.render(value) }

        /// A number, or a date or time in ISO form: values a person may work out.
        var isFigure: Bool {
            switch value {
            case .number: return true
            case .string(let text):
                return !text.isEmpty && text.contains(where: \.isNumber)
                    && text.allSatisfy { $0.isNumber || "-:T+Z.".contains($0) }
            default: return false
            }
        }
    }

    static func leaves(of value: JSONValue, schema: JSONValue, path: String, name: String = "") -> [Leaf] {
        switch value {
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { key, member in
                leaves(of: member, schema: schema["properties"]?[key] ?? .null, path: path + "." + key, name: key)
            }
        case .array(let elements):
            return elements.enumerated().flatMap { offset, element in
                leaves(of: element, schema: schema["items"] ?? .null, path: "\(path)[\(offset)]", name: name)
            }
        case .string, .number:
            let allowed = (schema["enum"]?.arrayValue ?? []) + [schema["default"], schema["const"]].compactMap { $0 }
            let meaning = (name + " " + (schema["description"]?.stringValue ?? "")).lowercased()
            return [Leaf(path: path, name: name, value: value, allowed: allowed, meaning: meaning)]
        case .bool, .null:
            return []
        }
    }

    static func isGrounded(_ leaf: Leaf, in sources: SourceText) -> Bool {
        if leaf.allowed.contains(leaf.value) { return true }
        switch leaf.value {
        case .string(let text):
            return text.isEmpty || sources.holds(string: text) || isTrustedCode(text, for: leaf) || isFormalQuery(leaf)
        case .number(let number):
            // "a flight", "an aisle seat": one is what the article says.
            return number == 1 || sources.holds(number: number) || sources.derives(number: number)
                || isPageSize(leaf)
        default:
            return true
        }
    }

    /// Parameters that ask for a code the checks cannot map from words without world knowledge
    /// (a ticker for "apple", an airport for "Heathrow", a country for "Hamburg").
    private static let codeMeanings = [
        "symbol", "ticker", "iata", "icao", "airport code", "country code", "iso 3166", "station code",
    ]

    /// A code the parameter asks for by name or description, written as a code is (two to five
    /// capital letters), is taken on trust; the judge reads it.
    private static func isTrustedCode(_ text: String, for leaf: Leaf) -> Bool {
        if leaf.meaning.contains("language") || leaf.meaning.contains("locale") {
            // The language to answer in is often the conversation's own, which no word names.
            return TextForms.languageNames[text.lowercased()] != nil
        }
        return (2...5).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isUppercase }
            && codeMeanings.contains { leaf.meaning.contains($0) }
    }

    /// A query the assistant wrote in a formal language (SQL, code) is its own composition, made
    /// of names no user says; the judge reads it.
    private static func isFormalQuery(_ leaf: Leaf) -> Bool {
        ["sql", "code", "script", "expression", "query_sql"].contains(leaf.name)
    }

    /// How many results to fetch (up to 100) is the assistant's own choice.
    private static func isPageSize(_ leaf: Leaf) -> Bool {
        guard let size = leaf.value.numberValue, (1...100).contains(size) else { return false }
        return ["limit", "max_results", "top_k", "top_n", "page_size", "per_page", "num_results", "max_items", "count"]
            .contains(leaf.name)
    }

    /// `text` without its fenced blocks.
    static func unfenced(_ text: String) -> String {
        var kept = ""
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inside.toggle()
                continue
            }
            if !inside { kept += line + "\n" }
        }
        return kept
    }

    /// The results of the tool messages after `index`.
    private static func laterResults(after index: Int, in sources: MessageSources) -> SourceText {
        var later = SourceText()
        for position in sources.results.indices.dropFirst(index + 1) where sources.results[position] != nil {
            if let result = sources.texts[position] { later.add(result) }
        }
        return later
    }
}
