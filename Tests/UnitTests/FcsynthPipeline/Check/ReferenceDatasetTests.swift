import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthStages

/// The rules against conversations written and read by hand as good (the five sets in
/// example_data/ that example_data/README.md describes, by writers who never saw the rules):
/// they must keep false rejections under 5%, and still catch each defect seeded into those same
/// conversations.
@Suite struct ReferenceDatasetTests {
    static let files = [
        "reference_conversations.jsonl", "heldout_conversations.jsonl", "heldout2_conversations.jsonl",
        "heldout3_conversations.jsonl", "heldout4_conversations.jsonl",
    ]

    static func lines(_ file: String) throws -> [[UInt8]] {
        let url = Repository.root.appendingPathComponent("example_data/" + file)
        return try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    static func lines() throws -> [[UInt8]] {
        try files.flatMap(lines)
    }

    static func failing(_ lines: [[UInt8]], strictValues: Bool = false) -> [Int: [String]] {
        var checker = DatasetChecker(enforceDerivedValues: strictValues)
        var failing: [Int: [String]] = [:]
        for (index, line) in lines.enumerated() {
            let verdict = checker.check(line: index + 1, bytes: line)
            if !verdict.passed { failing[index + 1] = verdict.failures.map { "\($0.rule): \($0.detail)" } }
        }
        return failing
    }

    @Test func rejectsFewerThanOneInTwentyGoodConversations() throws {
        var total = 0
        var rejected: [String: [Int: [String]]] = [:]
        for file in Self.files {
            let lines = try Self.lines(file)
            #expect(lines.count >= 40, "\(file)")
            total += lines.count
            let failing = Self.failing(lines)
            if !failing.isEmpty { rejected[file] = failing }
        }
        #expect(rejected.values.map(\.count).reduce(0, +) * 20 < total, "\(rejected)")
    }

    /// One seeded defect per conversation, each of a kind a rule exists for.
    @Test(arguments: ReferenceDefect.allCases)
    func catchesEverySeededDefect(_ defect: ReferenceDefect) throws {
        let seeded = try Self.lines().compactMap { defect.seed(into: $0) }
        #expect(seeded.count >= 50, "\(defect): only \(seeded.count) conversations could take it")
        // Invented figures are derived values: found always, failing when the check is strict.
        let failing = Self.failing(seeded, strictValues: defect.isFigure)
        #expect(failing.count == seeded.count, "\(defect): \(seeded.count - failing.count) not caught")
    }
}

enum ReferenceDefect: String, CaseIterable, Sendable {
    /// The first string argument replaced by a name nobody gave.
    case inventedString
    /// The first number argument replaced by a figure nobody gave.
    case inventedNumber
    /// The final answer claims that nothing was found.
    case claimsNothingFound
    /// The final answer adds a total no result gives.
    case inventedFigure
    /// The user names the first function.
    case userNamesFunction

    var isFigure: Bool { self == .inventedNumber || self == .inventedFigure }

    func seed(into line: [UInt8]) -> [UInt8]? {
        guard case .object(var record) = JSONParser.parse(String(decoding: line, as: UTF8.self)),
            var messages = record["messages"]?.arrayValue
        else { return nil }
        switch self {
        case .inventedString, .inventedNumber:
            guard let (index, call, arguments) = firstArgument(in: messages) else { return nil }
            var calls = messages[index]["tool_calls"]?.arrayValue ?? []
            var function = calls[call]["function"]?.objectValue ?? [:]
            function["arguments"] = .string(PromptData.serialize(.object(arguments)))
            var entry = calls[call].objectValue ?? [:]
            entry["function"] = .object(function)
            calls[call] = .object(entry)
            var message = messages[index].objectValue ?? [:]
            message["tool_calls"] = .array(calls)
            messages[index] = .object(message)
        case .claimsNothingFound, .inventedFigure:
            var final = messages[messages.count - 1].objectValue ?? [:]
            let content = final["content"]?.stringValue ?? ""
            final["content"] =
                .string(
                    self == .claimsNothingFound
                        ? "Sorry, nothing was found for your request." : content + " The total comes to 987.65.")
            messages[messages.count - 1] = .object(final)
        case .userNamesFunction:
            guard let name = record["tools"]?.arrayValue?.first?["function"]?["name"]?.stringValue,
                let index = messages.firstIndex(where: { $0["role"]?.stringValue == "user" })
            else { return nil }
            var user = messages[index].objectValue ?? [:]
            user["content"] = .string("Please call \(name) for this. " + (user["content"]?.stringValue ?? ""))
            messages[index] = .object(user)
        }
        record["messages"] = .array(messages)
        return Array(PromptData.serialize(.object(record)).utf8)
    }

    /// The first call's arguments with the first value of this defect's kind replaced.
    private func firstArgument(in messages: [JSONValue]) -> (Int, Int, [String: JSONValue])? {
        for (index, message) in messages.enumerated() {
            for (position, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
                guard let text = call["function"]?["arguments"]?.stringValue,
                    var arguments = JSONParser.parse(text)?.objectValue
                else { continue }
                for key in arguments.keys.sorted() {
                    switch (self, arguments[key]) {
                    case (.inventedString, .string(let value)?) where value.count > 1:
                        arguments[key] = .string("Zanzibar Quillfeather")
                    case (.inventedNumber, .number?):
                        arguments[key] = .number(4817)
                    default: continue
                    }
                    return (index, position, arguments)
                }
            }
        }
        return nil
    }
}
