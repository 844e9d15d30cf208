import Foundation
import Testing

@testable import FcsynthCore

@Suite struct ReplyExtractionTests {
    private let expected: JSONValue = .object(["scenario": .string("booking flights"), "n": .number(2)])

    private func failure(_ reply: String) -> ReplyParseError? {
        do {
            _ = try ReplyExtraction.jsonObject(in: reply)
            return nil
        } catch {
            return error
        }
    }

    @Test func takesABareObject() throws {
        #expect(try ReplyExtraction.jsonObject(in: #"{"scenario": "booking flights", "n": 2}"#) == expected)
        #expect(try ReplyExtraction.jsonObject(in: "\n  {\"scenario\": \"booking flights\", \"n\": 2}\n\n") == expected)
        #expect(try ReplyExtraction.jsonObject(in: "{}") == .object([:]))
    }

    @Test func takesAFencedObjectWithOrWithoutLanguage() throws {
        #expect(
            try ReplyExtraction.jsonObject(in: "```json\n{\"scenario\": \"booking flights\", \"n\": 2}\n```")
                == expected)
        #expect(
            try ReplyExtraction.jsonObject(in: "```\n{\"scenario\": \"booking flights\", \"n\": 2}\n```\n") == expected)
        #expect(
            try ReplyExtraction.jsonObject(
                in: "Here it is:\n```JSON\n{\"scenario\": \"booking flights\", \"n\": 2}\n```\nAnything else?")
                == expected)
    }

    @Test func takesTheObjectOutOfProse() throws {
        let reply =
            #"Sure! The scenario {as asked} is {"scenario": "booking flights", "n": 2}. Let me know {if} you need more."#
        #expect(try ReplyExtraction.jsonObject(in: reply) == expected)
    }

    @Test func respectsBracesAndEscapedQuotesInsideStrings() throws {
        let reply =
            #"Result: {"text": "a } brace, a { brace and a \"quoted } word\" \\", "nested": {"list": [1, {"x": "]"}]}} done"#
        #expect(
            try ReplyExtraction.jsonObject(in: reply)
                == .object([
                    "text": .string(#"a } brace, a { brace and a "quoted } word" \"#),
                    "nested": .object(["list": .array([.number(1), .object(["x": .string("]")])])]),
                ]))
    }

    @Test func takesTheFirstObjectThatParses() throws {
        #expect(try ReplyExtraction.jsonObject(in: #"{"a": 1} and {"b": 2}"#) == .object(["a": .number(1)]))
        #expect(try ReplyExtraction.jsonObject(in: #"{"a": 1,} fixed: {"a": 1}"#) == .object(["a": .number(1)]))
        #expect(
            try ReplyExtraction.jsonObject(in: "Sources: [{\"s\": 1}]\nAnswer: {\"a\": 1}")
                == .object(["a": .number(1)]))
        #expect(try ReplyExtraction.jsonObject(in: "[Note: see below\n{\"a\": 1}") == .object(["a": .number(1)]))
    }

    @Test func keepsNonASCIIText() throws {
        #expect(
            try ReplyExtraction.jsonObject(in: "Voilà 👉 {\"ville\": \"Zürich\", \"emoji\": \"🚆\"}")
                == .object(["ville": .string("Zürich"), "emoji": .string("🚆")]))
    }

    @Test func rejectsAnEmptyReply() {
        #expect(failure("") == .emptyReply)
        #expect(failure(" \n\t ") == .emptyReply)
        #expect(ReplyParseError.emptyReply.description == "the reply is empty; answer with one JSON object")
    }

    @Test func rejectsAReplyWithoutJSON() {
        #expect(failure("I cannot help with that.") == .noJSONObject)
        #expect(failure("Use {braces} for {placeholders}.") == .noJSONObject)
        #expect(failure("- [x] done\n[the docs](https://example.com)\n[unclosed") == .noJSONObject)
        #expect(
            ReplyParseError.noJSONObject.description == "no JSON object found in the reply; answer with one JSON object"
        )
    }

    @Test func rejectsAnArrayAtTopLevel() {
        #expect(failure(#"[{"scenario": "a"}, {"scenario": "b"}]"#) == .arrayAtTopLevel)
        #expect(failure("```json\n[1, 2]\n```") == .arrayAtTopLevel)
        #expect(failure("Here: [ {\"a\": 1} ]") == .arrayAtTopLevel)
        #expect(failure("[]") == .arrayAtTopLevel)
        #expect(
            ReplyParseError.arrayAtTopLevel.description
                == "the reply holds a JSON array, not an object; answer with one JSON object as described")
    }

    @Test func rejectsATruncatedObject() {
        #expect(failure(#"{"scenario": "booking fl"#) == .truncatedObject)
        #expect(failure("```json\n{\"a\": {\"b\": [1, 2") == .truncatedObject)
        #expect(failure("```json\n{") == .truncatedObject)
        #expect(failure(#"{"a": "ends in an escape \"#) == .truncatedObject)
        #expect(
            ReplyParseError.truncatedObject.description
                == "the JSON object is cut off before its closing brace; answer with the complete object")
    }

    @Test func doesNotMineABrokenObjectForAnInnerOne() {
        #expect(
            failure(#"{"outer": {"inner": 1}, oops}"#)
                == .invalidJSON(excerpt: #"{"outer": {"inner": 1}, oops}"#, reason: "invalid value around character 24")
        )
    }

    @Test func describesInvalidJSONWithAnExcerpt() {
        let error = failure("Here: {'scenario': 'booking flights', 'details': 'a long python-style dict'} ok?")
        #expect(
            error
                == .invalidJSON(
                    excerpt: "{'scenario': 'booking flights', 'details…", reason: "invalid value around character 1"))
        #expect(
            error?.description
                == "the JSON object starting `{'scenario': 'booking flights', 'details…` is not valid JSON (invalid value around character 1); answer with one valid JSON object"
        )
    }

    @Test func refusesTrailingCommasThatStrictParsersRefuse() {
        // What a trainer's JSON parser would refuse is asked for again, not patched up.
        guard case .invalidJSON = failure("{\"a\": [1, 2,],}") else {
            Issue.record("a trailing comma was accepted")
            return
        }
    }

    @Test func staysLinearOnLongProse() throws {
        let prose = String(repeating: "{ a brace { in prose [ and a bracket \"quote\" ", count: 20_000)
        let before = Self.threadCPUSeconds()
        let result = try ReplyExtraction.jsonObject(in: prose + #"{"a": 1}"# + prose)
        let cpu = Self.threadCPUSeconds() - before
        #expect(result == .object(["a": .number(1)]))
        // The work done, not the time it took, so that a busy machine does not count: a scan
        // that went back over the prose at each brace would need many minutes of CPU here.
        #expect(cpu < 2, "\(cpu) s of CPU for \(prose.utf8.count * 2) bytes")
    }

    /// CPU time the calling thread has used; a synchronous test stays on one thread.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
