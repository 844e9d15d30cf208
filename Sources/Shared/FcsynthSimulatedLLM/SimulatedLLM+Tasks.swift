import FcsynthCore

extension SimulatedLLM {
    package static func scenario(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let domain = domain(ofText: data["seed_chat"]?.stringValue ?? "", using: &random)
        return .object(["scenario": .string(pick(domain.scenarios, &random))])
    }

    /// Scenarios of other domains: a different action or subject, as the prompt asks.
    package static func expandedScenarios(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let count = max(1, Int(data["count"]?.numberValue ?? 1))
        let current = domain(ofScenario: data["scenario"]?.stringValue ?? "", using: &random)
        var others = domains.filter { $0.keyword != current.keyword }
        others.shuffle(using: &random)
        let scenarios = (0..<count).map { index in pick(others[index % others.count].scenarios, &random) }
        return .object(["scenarios": JSONValue(strings: scenarios)])
    }

    package static func atomTasks(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let count = max(1, Int(data["count"]?.numberValue ?? 1))
        let domain = domain(ofScenario: data["scenario"]?.stringValue ?? "", using: &random)
        var templates = domain.atomTasks
        templates.shuffle(using: &random)
        let tasks = (0..<count).map { index in
            var bindings: [String: String] = [:]
            return fill(templates[index % templates.count], bindings: &bindings, using: &random)
        }
        return .object(["atom_tasks": JSONValue(strings: tasks)])
    }

    package static func sequentialComposition(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue
    {
        let atom = data["atom_task"]?.stringValue ?? ""
        let domain = domain(ofText: atom, using: &random)
        var bindings = slotValues(in: atom)
        let subsequent = fill(pick(domain.followUps, &random), bindings: &bindings, using: &random)
        return .object([
            "subsequent_task": .string(subsequent),
            "composition_task": .string("\(clause(atom)), then \(clause(subsequent).lowercasedFirst)."),
        ])
    }

    package static func paraSeqComposition(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let atom = data["atom_task"]?.stringValue ?? ""
        let domain = domain(ofText: atom, using: &random)
        let chosen = pick(domain.parallels, &random)
        var bindings = slotValues(in: atom)
        let parallel = fill(chosen.task, bindings: &bindings, using: &random)
        let subsequent = fill(chosen.combination, bindings: &bindings, using: &random)
        return .object([
            "parallel_task": .string(parallel),
            "subsequent_task": .string(subsequent),
            "composition_task": .string(
                "\(clause(atom)). At the same time, \(clause(parallel).lowercasedFirst). Then \(clause(subsequent).lowercasedFirst)."
            ),
        ])
    }

    /// Feasible, except for about one composition in twenty, so that the filtered path runs.
    package static func feasibility(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let composition = data["composition_task"]?.stringValue ?? ""
        let steps = data["sub_tasks"]?.arrayValue?.count ?? 0
        var mixer = SplitMix64(seed: StableHash.of(composition))
        let feasible = mixer.next() % 20 != 0
        let analysis =
            feasible
            ? "The \(steps) sub-tasks cover the request in order: each later step uses what the earlier ones return, and the request states every detail they need."
            : "The request leaves out a detail that one of the \(steps) sub-tasks needs, so doing them in order cannot complete it."
        return .object(["analysis": .string(analysis), "feasible": .bool(feasible)])
    }

    // MARK: Content helpers

    package static func pick<Element>(_ elements: [Element], _ random: inout SplitMix64) -> Element {
        elements[Int(random.next() % UInt64(elements.count))]
    }

    /// The domain a scenario came from, or for a scenario the simulator did not write one
    /// found by keyword or drawn at random.
    package static func domain(ofScenario scenario: String, using random: inout SplitMix64) -> Domain {
        domains.first(where: { $0.scenarios.contains(scenario) }) ?? domain(ofText: scenario, using: &random)
    }

    /// The domain whose keyword appears first in the text, or a random one.
    package static func domain(ofText text: String, using random: inout SplitMix64) -> Domain {
        let lowered = TextSearch(text.lowercased())
        let found = domains.compactMap { domain in
            lowered.offset(of: domain.keyword).map { (domain, $0) }
        }
        return found.min(by: { $0.1 < $1.1 })?.0 ?? pick(domains, &random)
    }

    /// The template with its slots filled: from `bindings` where bound, else at random, and
    /// then bound, so that the tasks of one composition name the same city, date and person.
    package static func fill(
        _ template: String, bindings: inout [String: String], using random: inout SplitMix64
    ) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let slot = String(rest[rest.index(after: open)..<close])
            if bindings[slot] == nil, let values = slots[slot] { bindings[slot] = pick(values, &random) }
            result += bindings[slot] ?? slot
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The slot values a filled task holds.
    package static func slotValues(in text: String) -> [String: String] {
        let search = TextSearch(text)
        var bindings: [String: String] = [:]
        for (slot, values) in slots {
            if let value = values.first(where: search.contains) { bindings[slot] = value }
        }
        return bindings
    }

    /// A task as a clause: without its closing full stop.
    private static func clause(_ task: String) -> String {
        task.hasSuffix(".") ? String(task.dropLast()) : task
    }
}

extension String {
    fileprivate var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
