import FcsynthCore
import FcsynthStages

/// Catalog mode: tasks written for the functions the prompt gives, each stating the values of
/// their required parameters as `name words <JSON value>`, which `StatedValues` reads back for
/// the assistant; chained parameters are left for an earlier result to give.
extension SimulatedLLM {
    package static func catalogAtomTasks(_ functions: [JSONValue], using random: inout SplitMix64) -> JSONValue {
        .object(["atom_tasks": JSONValue(strings: functions.map { task(for: $0, leaving: [], using: &random) })])
    }

    package static func catalogSequential(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let atom = data["atom_task"]?.stringValue ?? ""
        let subsequent =
            data["subsequent_function"].map {
                follow(with: $0, after: data["atom_function"].map { [$0] } ?? [], using: &random)
            } ?? "Work out from that result which option suits best."
        return .object([
            "subsequent_task": .string(subsequent),
            "composition_task": .string("\(clause(atom)), then \(lowercasedFirst(clause(subsequent)))."),
        ])
    }

    package static func catalogParaSeq(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let atom = data["atom_task"]?.stringValue ?? ""
        let parallel = data["parallel_function"].map { task(for: $0, leaving: [], using: &random) } ?? atom
        let earlier = [data["atom_function"], data["parallel_function"]].compactMap { $0 }
        let subsequent =
            data["subsequent_function"].map { follow(with: $0, after: earlier, using: &random) }
            ?? "Compare the two results and say which is better."
        return .object([
            "parallel_task": .string(parallel),
            "subsequent_task": .string(subsequent),
            "composition_task": .string(
                "\(clause(atom)). At the same time, \(lowercasedFirst(clause(parallel))). Then \(lowercasedFirst(clause(subsequent)))."
            ),
        ])
    }

    /// The functions each sub-task was written for, as the prompt lists them.
    package static func catalogSelection(_ data: [String: JSONValue]) -> JSONValue {
        let steps = data["sub_tasks"]?.arrayValue ?? []
        return .object([
            "sub_tasks": .array(
                steps.map { step in
                    .object([
                        "sub_task": step["sub_task"] ?? .string(""),
                        "functions": step["written_for"] ?? .array([]),
                    ])
                })
        ])
    }

    /// A request one call of the function does: the opening words of its description, then a
    /// value for each required parameter not in `leaving`.
    private static func task(for function: JSONValue, leaving: Set<String>, using random: inout SplitMix64) -> String {
        let parameters = function["parameters"] ?? .null
        let required = parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var generator = SchemaInstanceGenerator(seed: random.next())
        let values = required.filter { !leaving.contains($0) }.compactMap { name -> String? in
            guard let schema = parameters["properties"]?[name] else { return nil }
            let value = generator.instance(for: schema, hint: name)
            return StatedValues.phrase(name) + " " + PromptData.serialize(value)
        }
        let opening = clause(description(of: function))
        return values.isEmpty ? opening + "." : opening + " for " + values.joined(separator: ", ") + "."
    }

    /// A subsequent task for `function`, taking the parameters the earlier functions' results give.
    private static func follow(
        with function: JSONValue, after earlier: [JSONValue], using random: inout SplitMix64
    )
        -> String
    {
        let given = Set(earlier.flatMap { outputs(of: $0) })
        let inputs = Set((function["parameters"]?["properties"]?.objectValue ?? [:]).keys)
        let linked = given.intersection(inputs)
        let rest = task(for: function, leaving: linked, using: &random)
        let through = linked.sorted().first.map { " Use that " + StatedValues.phrase($0) + "." } ?? ""
        return rest + through
    }

    /// The first words of the description: few enough that the request does not copy the
    /// tool list the training prompt shows (the `sub_task_in_system` check).
    private static func description(of function: JSONValue) -> String {
        let text = function["description"]?.stringValue ?? function["name"]?.stringValue ?? "Do it"
        let sentence = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        var words = sentence.split(separator: " ").prefix(5).map(String.init)
        while words.count > 2, let last = words.last, connectives.contains(last.lowercased()) { words.removeLast() }
        return words.joined(separator: " ")
    }

    private static let connectives: Set<String> = [
        "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "between", "with", "and", "or", "from",
    ]

    /// Result names, also inside the objects a result lists, as the tool graph reads them.
    private static func outputs(of function: JSONValue) -> [String] {
        let properties = function["responses"]?["properties"]?.objectValue ?? [:]
        return Array(properties.keys)
            + properties.values.flatMap { ($0["items"]?["properties"]?.objectValue ?? [:]).keys }
    }

    private static func clause(_ task: String) -> String {
        task.hasSuffix(".") ? String(task.dropLast()) : task
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
