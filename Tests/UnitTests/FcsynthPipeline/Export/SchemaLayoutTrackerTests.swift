import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// Schemas fitted to a file in order, each against the schema written out by hand: only a value
/// that contradicts a type written before at its path is rewritten, and the rewrite keeps what
/// the schema says.
@Suite struct SchemaLayoutTrackerTests {
    private func parameters(_ property: [String: JSONValue]) -> JSONValue {
        .object(["type": .string("object"), "properties": .object(["p": .object(property)])])
    }

    private let path = "tools[].function.parameters"

    @Test func aDefaultOfAnotherTypeMovesIntoTheDescription() {
        var tracker = SchemaLayoutTracker()
        let first = parameters(["type": .string("integer"), "default": .number(10)])
        #expect(tracker.fitted(first, at: path) == first)
        let second = parameters(["type": .string("string"), "default": .string("10"), "description": .string("Max.")])
        #expect(
            tracker.fitted(second, at: path)
                == parameters(["type": .string("string"), "description": .string(#"Max. Default: "10"."#)]))
        let third = parameters(["type": .string("integer"), "default": .number(2.5)])
        #expect(tracker.fitted(third, at: path) == third)
        #expect(tracker.rewrites == ["default_in_description": 1])
    }

    @Test func anEnumOfNumbersAfterOneOfStringsIsDescribed() {
        var tracker = SchemaLayoutTracker()
        let strings = parameters(["type": .string("string"), "enum": .array([.string("a"), .string("b")])])
        #expect(tracker.fitted(strings, at: path) == strings)
        let numbers = parameters(["type": .string("integer"), "enum": .array([.number(1), .number(2)])])
        #expect(
            tracker.fitted(numbers, at: path)
                == parameters(["type": .string("integer"), "description": .string("One of: [1,2].")]))
        #expect(tracker.rewrites == ["enum_in_description": 1])
    }

    @Test func anEnumMixingTypesInItselfIsDescribed() {
        var tracker = SchemaLayoutTracker()
        let mixed = parameters([
            "type": .array([.string("string"), .string("integer")]), "enum": .array([.string("a"), .number(1)]),
        ])
        #expect(
            tracker.fitted(mixed, at: path)
                == parameters([
                    "type": .array([.string("string"), .string("integer")]),
                    "description": .string(#"One of: ["a",1]."#),
                ]))
    }

    @Test func aTypeListAfterATypeNameBecomesAnyOfWithTheConstraintsInEachAlternative() {
        var tracker = SchemaLayoutTracker()
        let name = parameters(["type": .string("string")])
        #expect(tracker.fitted(name, at: path) == name)
        let list = parameters([
            "type": .array([.string("string"), .string("integer")]), "description": .string("When."),
            "enum": .array([.string("now"), .number(0)]), "default": .string("now"),
        ])
        #expect(
            tracker.fitted(list, at: path)
                == parameters([
                    "description": .string("When."), "default": .string("now"),
                    "anyOf": .array([
                        .object(["type": .string("string"), "enum": .array([.string("now")])]),
                        // The alternatives share one path, as the elements of an Arrow list share a type.
                        .object(["type": .string("integer"), "description": .string("One of: [0].")]),
                    ]),
                ]))
        #expect(tracker.rewrites == ["type_as_any_of": 1, "enum_in_description": 1])
    }

    @Test func aTypeNameAfterATypeListBecomesTheOneElementList() {
        var tracker = SchemaLayoutTracker()
        let list = parameters(["type": .array([.string("string"), .string("null")])])
        #expect(tracker.fitted(list, at: path) == list)
        #expect(
            tracker.fitted(parameters(["type": .string("integer")]), at: path)
                == parameters(["type": .array([.string("integer")])]))
        #expect(tracker.rewrites == ["type_listed": 1])
    }

    @Test func nullFitsAnyTypeAndPathsAreKeptApart() {
        var tracker = SchemaLayoutTracker()
        let first = parameters(["type": .string("integer"), "default": .null])
        #expect(tracker.fitted(first, at: path) == first)
        let second = parameters(["type": .string("integer"), "default": .number(1)])
        #expect(tracker.fitted(second, at: path) == second)
        let elsewhere = parameters(["type": .string("string"), "default": .string("x")])
        #expect(tracker.fitted(elsewhere, at: "functions[].parameters") == elsewhere)
        #expect(tracker.rewrites.isEmpty)
    }

    @Test func sharegptRecordsAreLeftAloneAndRawFunctionsAreFittedToo() {
        var tracker = SchemaLayoutTracker()
        func record(_ value: JSONValue) -> ConversationRecord {
            var record = ExportFixtures.sequential
            let function = FunctionDefinition(
                name: "f", description: "F.", parameters: parameters(["type": .string("string"), "default": value]),
                responses: parameters(["type": .string("string"), "default": value]))
            record.tools = [ToolDefinition(function)]
            record.functions = [function]
            return record
        }
        _ = tracker.fitted(record(.number(1)), for: .raw)
        let clash = record(.string("1"))
        #expect(tracker.fitted(clash, for: .sharegpt) == clash)
        let fitted = tracker.fitted(clash, for: .raw)
        let described = parameters(["type": .string("string"), "description": .string(#"Default: "1"."#)])
        #expect(fitted.tools.first?.function.parameters == described)
        #expect(fitted.functions.first?.parameters == described)
        #expect(fitted.functions.first?.responses == described)
        #expect(tracker.rewrites == ["default_in_description": 3])
    }

    /// A following export saves the tracker with its progress; the resumed export goes on
    /// fitting to the types the file already holds.
    @Test func theTypesWrittenSurviveTheProgressFile() throws {
        var tracker = SchemaLayoutTracker()
        _ = tracker.fitted(parameters(["type": .string("integer"), "default": .number(1)]), at: path)
        var progress = ExportProgress(run: "r", format: .openai)
        progress.schemaLayout = tracker
        let saved = try JSONCoding.decode(ExportProgress.self, from: JSONCoding.encode(progress))
        var resumed = try #require(saved.schemaLayout)
        #expect(
            resumed.fitted(parameters(["type": .string("string"), "default": .string("1")]), at: path)
                == parameters(["type": .string("string"), "description": .string(#"Default: "1"."#)]))
        #expect(resumed.rewrites == ["default_in_description": 1])
    }
}
