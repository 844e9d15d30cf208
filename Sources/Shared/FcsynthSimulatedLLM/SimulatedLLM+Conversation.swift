import FcsynthCore
import FcsynthStages

extension SimulatedLLM {
    private typealias Prompt = MultiTurnConversationGenerator

    package static let openers = [
        "", "Hi! ", "Hello, could you help me with something? ", "I need a hand: ", "Good morning. ",
    ]

    /// The opening request; or the answer to a question: the details the assistant asked for
    /// (made up, as a person would give them), else the task again, which states every detail.
    package static func userMessage(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let task = data["composition_task"]?.stringValue ?? "Please help me with my request."
        let parameter = data["withheld_detail"]?["parameter"]?.stringValue
        let withheld = data["withheld_detail"]?["description"]?.stringValue.map {
            DetailQuestion.Detail(schema: .object(["description": .string($0)]), name: parameter ?? "")
        }
        let given = parameter.flatMap { RequestValues.mention(for: $0, in: TextSearch(task)) }
        guard let conversation = data["conversation"]?.arrayValue else {
            guard let withheld else { return .object(["message": .string(pick(openers, &random) + task)]) }
            let request = given.map { task.replacingOccurrences(of: $0, with: DetailQuestion.heldBack) } ?? task
            return .object([
                "message": .string(pick(openers, &random) + request + " " + DetailQuestion.withheldNote(withheld))
            ])
        }
        let question = conversation.last { $0["role"]?.stringValue == "assistant" }?["content"]?.stringValue ?? ""
        guard let details = DetailQuestion.details(asked: question) else {
            return .object(["message": .string("Everything is in my request: " + task)])
        }
        var generator = SchemaInstanceGenerator(seed: random.next())
        let answers = details.map { detail -> String in
            if detail.description == withheld?.description, let given { return given }
            let schema: JSONValue = .object([
                "type": .string(detail.isNumber ? "integer" : "string"), "minimum": .number(1),
                "maximum": .number(9),
            ])
            let value = generator.instance(for: schema, hint: detail.description)
            return value.stringValue ?? value.numberValue.map { String(Int($0)) } ?? "any"
        }
        return .object(["message": .string(DetailQuestion.answer(answers))])
    }

    /// Results that satisfy the function's `responses` schema, echoing any argument the
    /// result names (the flight asked about is the flight described).
    package static func toolResult(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let function = data["function"] ?? .null
        let responses = function["responses"] ?? .null
        var generator = SchemaInstanceGenerator(seed: random.next())
        var result = generator.instance(for: responses, hint: function["name"]?.stringValue ?? "")
        if case .object(var fields) = result, let arguments = data["call"]?["arguments"]?.objectValue {
            for (key, value) in arguments where fields[key] != nil {
                if let schema = responses["properties"]?[key],
                    JSONSchemaValidator.validate(value, against: schema).isEmpty
                {
                    fields[key] = value
                }
            }
            result = .object(fields)
        }
        return .object(["result": result])
    }

    /// The error a failed call returns, naming the first argument value it concerns.
    package static func toolError(_ data: [String: JSONValue]) -> JSONValue {
        let code = data["error_code"]?.stringValue ?? ToolErrorKind.notFound.rawValue
        let arguments = data["call"]?["arguments"]?.objectValue ?? [:]
        let concerned = arguments.keys.sorted().lazy.compactMap { key in
            arguments[key]?.stringValue.map { (key, $0) } ?? arguments[key]?.numberValue.map { (key, written($0)) }
        }.first
        let subject = concerned.map { "\($0.0.replacingUnderscores) \($0.1)" } ?? "the request"
        let message =
            code == ToolErrorKind.invalidInput.rawValue ? "The \(subject) is not accepted." : "No match for \(subject)."
        return .object(["error": .object(["code": .string(code), "message": .string(message)])])
    }

    /// Plans from the hints, calls the hinted functions in order (the first calls of
    /// independent steps together when parallel calls are allowed), passing earlier results on
    /// where a parameter shares a result's name, then answers from the results.
    package static func assistantTurn(_ messages: [ChatMessage], using random: inout SplitMix64) -> JSONValue {
        let system = messages.first(where: { $0.role == .system })?.content ?? ""
        let data = PromptData.lastBlock(in: system) ?? .null
        let functions = data["functions"]?.arrayValue ?? []
        let hints = data["hints"]?.arrayValue ?? []
        let waves = callWaves(hints: hints, parallel: TextSearch(system).contains(Prompt.parallelCallsRule))
        let request = TextSearch(messages.first(where: { $0.role == .user })?.content ?? "")
        let results = messages.filter { $0.role == .user && $0.content.hasPrefix(Prompt.resultsHeading) }
            .compactMap { PromptData.lastBlock(in: $0.content)?["results"]?.arrayValue }
        let turn = results.count

        if let failure = results.last?.first(where: { $0["result"]?["error"] != nil }) {
            // Without the failed step's output the later steps cannot run: report and stop.
            let name = failure["name"]?.stringValue?.replacingUnderscores ?? "a step"
            let message = failure["result"]?["error"]?["message"]?.stringValue ?? "it returned an error"
            let done = summary(of: results.flatMap { $0 }.filter { $0["result"]?["error"] == nil })
            return .object([
                "thought": .string("The \(name) call failed, and the remaining steps need its result."),
                "final": .string(
                    "I could not finish your request: \(name) failed (\(message))."
                        + (done.isEmpty ? "" : " What I did find — \(done).")),
            ])
        }
        guard turn < waves.count else {
            let unavailable = hints.filter { $0["unavailable"]?.boolValue == true }.compactMap {
                $0["sub_task"]?.stringValue
            }
            let admission = unavailable.map { task in
                "I could not do this part: \(task.prefix(1).lowercased() + task.dropFirst().filter { $0 != "." }), since none of the functions I have can do it. "
            }.joined()
            return .object([
                "thought": .string(
                    unavailable.isEmpty
                        ? "Every step has its result, so I can answer the request."
                        : "Every step I can do has its result; no function can do the rest, so I say so."),
                "final": .string(
                    admission.isEmpty
                        ? finalAnswer(results: results.flatMap { $0 })
                        : admission + "Here is what I did find — " + summary(of: results.flatMap { $0 }) + "."),
            ])
        }
        let earlier = results.flatMap { $0 }.reversed().compactMap { $0["result"] }
        let answers = DetailQuestion.answers(in: messages)
        let withheld = DetailQuestion.withheld(in: request.text)
        var missing: [DetailQuestion.Detail] = []
        let calls = waves[turn].map { name -> JSONValue in
            let parameters = functions.first(where: { $0["name"]?.stringValue == name })?["parameters"] ?? .null
            let step = hints.first { hint in
                hint["functions"]?.arrayValue?.contains(.string(name)) == true
            }?["sub_task"]?.stringValue
            let made = arguments(
                for: parameters, name: name, earlier: earlier, request: request, step: step, answers: answers,
                withheld: withheld, using: &random)
            missing += made.missing
            return .object(["name": .string(name), "arguments": made.arguments])
        }
        let firstTurn = !messages.contains { $0.role == .assistant }
        let plan = hints.enumerated().map { index, hint in
            let functions = hint["functions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let step =
                hint["sub_task"]?.stringValue
                ?? (functions.isEmpty
                    ? "Work the answer out from the results." : "Use " + functions.joined(separator: " and ") + ".")
            return "\(index + 1). \(step)"
        }
        let opening = "The user's request breaks into steps. Plan:\n" + plan.joined(separator: "\n")
        if !missing.isEmpty {
            // The question is what the user sees, so the plan goes into it too.
            let question = (firstTurn ? opening + "\n" : "") + DetailQuestion.question(missing)
            return .object([
                "thought": .string(firstTurn ? opening : "Some details are missing, so I ask first."),
                "ask_user": .string(question),
            ])
        }
        let thought: String
        if firstTurn {
            thought = opening
        } else if turn == 0 {
            thought = "Now I have what I need, so I call \(waves[turn].joined(separator: " and "))."
        } else {
            thought =
                "I have the results of \(results[turn - 1].count) call\(results[turn - 1].count == 1 ? "" : "s"). Next I call \(waves[turn].joined(separator: " and "))."
        }
        return .object(["thought": .string(thought), "tool_calls": .array(calls)])
    }

    /// Function names to call, turn by turn.
    private static func callWaves(hints: [JSONValue], parallel: Bool) -> [[String]] {
        let steps = hints.map { hint in
            (
                functions: hint["functions"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                independent: hint["after_steps"]?.arrayValue?.isEmpty ?? true
            )
        }
        let together = steps.filter { $0.independent && !$0.functions.isEmpty }
        guard parallel, together.count > 1 else {
            return steps.flatMap(\.functions).map { [$0] }
        }
        var waves = [together.map { $0.functions[0] }]
        waves += together.flatMap { $0.functions.dropFirst() }.map { [$0] }
        waves += steps.filter { !$0.independent }.flatMap(\.functions).map { [$0] }
        return waves
    }

    /// Arguments that satisfy `parameters`, taken from an earlier result holding the
    /// parameter's name (an id, say), from the user's request (a city, a date, a name), or from
    /// the user's answer to a question, so that the calls fit the request and chain. An optional
    /// parameter with no such source is left out, as a careful assistant would; a required one
    /// is missing, and the assistant asks for it. A detail the user said it would give when
    /// asked (`withheld`, by description) is not looked for in the request. A value the
    /// function's own sub-task states (`StatedValues`, catalog mode) comes first.
    private static func arguments(
        for parameters: JSONValue, name: String, earlier: [JSONValue], request: TextSearch, step: String?,
        answers: [String: String], withheld: Set<String>, using random: inout SplitMix64
    )
        -> (arguments: JSONValue, missing: [DetailQuestion.Detail])
    {
        var generator = SchemaInstanceGenerator(seed: random.next())
        guard var arguments = generator.instance(for: parameters, hint: name).objectValue else {
            return (.object([:]), [])
        }
        let required = Set(parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var missing: [DetailQuestion.Detail] = []
        for (key, schema) in (parameters["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
        where arguments[key] != nil {
            let detail = DetailQuestion.Detail(schema: schema, name: key)
            let answered = answers[detail.description].map { DetailQuestion.value($0, for: schema) }
            let given = !withheld.contains(detail.description)
            let fromStep = given ? step.flatMap { StatedValues.value(for: key, in: $0) } : nil
            let fromRequest = given ? RequestValues.value(for: key, in: request) : nil
            let candidates = [fromStep, fromRequest] + earlier.map { find(key, in: $0) } + [answered]
            if let fitting = candidates.compactMap({ $0 }).first(where: {
                JSONSchemaValidator.validate($0, against: schema).isEmpty
            }) {
                arguments[key] = fitting
            } else if schema["enum"] != nil || schema["default"] != nil {
                continue
            } else if required.contains(key) {
                missing.append(detail)
            } else {
                arguments[key] = nil
            }
        }
        return (.object(arguments), missing)
    }

    /// The first value under `key`, searching objects and arrays depth-first.
    private static func find(_ key: String, in value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let fields):
            if let found = fields[key] { return found }
            return fields.keys.sorted().lazy.compactMap { fields[$0].flatMap { find(key, in: $0) } }.first
        case .array(let elements):
            return elements.lazy.compactMap { find(key, in: $0) }.first
        default:
            return nil
        }
    }

    /// Sums up each result by its first few facts; a list of records by its first record.
    private static func finalAnswer(results: [JSONValue]) -> String {
        let facts = summary(of: results)
        guard !facts.isEmpty else { return "All done: every step of your request went through." }
        return "All done. Here is what I found — " + facts + "."
    }

    private static func summary(of results: [JSONValue]) -> String {
        let facts = results.compactMap { entry -> String? in
            guard let name = entry["name"]?.stringValue, var fields = entry["result"]?.objectValue else { return nil }
            if fields.values.allSatisfy({ $0.arrayValue != nil }),
                let first = fields.keys.sorted().lazy.compactMap({ fields[$0]?.arrayValue?.first?.objectValue }).first
            {
                fields = first
            }
            let values = fields.keys.sorted().compactMap { key -> String? in
                switch fields[key] {
                case .string(let text): "\(key.replacingUnderscores) \(text)"
                case .number(let number): "\(key.replacingUnderscores) \(written(number))"
                case .bool(let flag): "\(key.replacingUnderscores) \(flag ? "yes" : "no")"
                default: nil
                }
            }
            return values.isEmpty ? nil : "\(name.replacingUnderscores): \(values.prefix(3).joined(separator: ", "))"
        }
        return facts.joined(separator: "; ")
    }
}

extension SimulatedLLM {
    /// A number as a person writes it: whole numbers without a decimal point.
    package static func written(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
