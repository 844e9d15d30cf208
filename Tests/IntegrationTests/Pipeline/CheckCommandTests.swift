import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// `fcsynth check` over exported files, as a user would run it on any dataset.
    @Suite struct CheckCommandTests {
        /// A finished run's exports in every format.
        private static func exports(_ fixture: PipelineFixture) async throws -> [ExportFormat: URL] {
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(status.output >= 3)
            var files: [ExportFormat: URL] = [:]
            for format in ExportFormat.allCases {
                let file = fixture.file("\(format.rawValue).jsonl")
                #expect(
                    try await fixture.fcsynth(["export", "--run", run, "-o", file.path, "--format", format.rawValue])
                        .status == 0)
                files[format] = file
            }
            #expect(try await fixture.stop(worker) == 0)
            return files
        }

        @Test func everyExportedFormatPassesAndTheEditsFailWithTheirRuleAndLine() async throws {
            let fixture = try PipelineFixture()
            let files = try await Self.exports(fixture)
            for (format, file) in files {
                let outcome = try await fixture.fcsynth(["check", file.path], namespaced: false)
                #expect(outcome.status == 0, "\(format): \(outcome.output)")
                #expect(outcome.output.contains(" 0 failing"), "\(format): \(outcome.output)")
            }
            let sharegpt = try await fixture.fcsynth(["check", try #require(files[.sharegpt]).path], namespaced: false)
            #expect(sharegpt.output.contains("coverage: 0 failed, 0 measured, "), "\(sharegpt.output)")
            #expect(
                !sharegpt.output.contains("coverage: 0 failed, 0 measured, 0 not applicable"),
                "the plan rules ran without a plan")

            // Line 2 gets a contradicting final answer; line 3, a record with a step its first tool
            // turn does not serve, loses all but that turn; line 4 is not a record at all.
            var lines = PipelineFixture.lines(of: try #require(files[.raw]))
            var second = try JSONCoding.decode(ConversationRecord.self, from: Data(lines[1]))
            second.messages[second.messages.count - 1].content =
                "According to the hints, step 3 is done: everything costs 0 and nothing was found."
            lines[1] = Array(try JSONCoding.encode(second))
            let cut = try lines.indices.dropFirst(2).lazy.compactMap { index -> (Int, ConversationRecord)? in
                var record = try JSONCoding.decode(ConversationRecord.self, from: Data(lines[index]))
                guard let firstResult = record.messages.firstIndex(where: { $0.role == .tool }) else { return nil }
                let end = record.messages[firstResult...].firstIndex { $0.role != .tool } ?? record.messages.count
                let called = Set(record.messages[..<end].flatMap { $0.toolCalls ?? [] }.map(\.function.name))
                let steps = record.lineage.subTaskFunctions ?? []
                guard steps.contains(where: { !$0.isEmpty && called.isDisjoint(with: $0) }) else { return nil }
                record.messages = Array(record.messages[..<end]) + [OutputMessage(role: .assistant, content: "Done.")]
                return (index, record)
            }.first
            let (cutIndex, cutRecord) = try #require(cut, "no record has a step after its first tool turn")
            lines.remove(at: cutIndex)
            lines.insert(Array(try JSONCoding.encode(cutRecord)), at: 2)
            lines.insert(Array(#"{"neither": "format"}"#.utf8), at: 3)
            let edited = fixture.file("edited.jsonl")
            try Data(lines.map { $0 + [UInt8(ascii: "\n")] }.joined()).write(to: edited)

            let outcome = try await fixture.fcsynth(["check", edited.path], namespaced: false)
            #expect(outcome.status == 1)
            let reported = outcome.output.split(separator: "\n").filter { $0.hasPrefix(edited.path + ":line ") }
            #expect(reported.count == 3, "\(outcome.output)")
            #expect(
                reported.contains {
                    $0.hasPrefix("\(edited.path):line 2: ") && $0.contains("final_answer: ")
                        && $0.contains("hint_leak: ")
                })
            #expect(reported.contains { $0.hasPrefix("\(edited.path):line 3: ") && $0.contains("coverage: ") })
            #expect(reported.contains { $0.hasPrefix("\(edited.path):line 4: unreadable: ") })
            #expect(outcome.output.contains("\(lines.count) records, 3 failing"))

            let json = try await fixture.fcsynth(["check", edited.path, "--json"], namespaced: false)
            #expect(json.status == 1)
            let documents = try json.output.split(separator: "\n").filter { $0.hasPrefix("{") }
                .map { try JSONCoding.decode(JSONValue.self, from: Data($0.utf8)) }
            let verdicts = documents.filter { $0["line"] != nil }
            #expect(verdicts.count == lines.count)
            #expect(
                verdicts.filter { $0["passed"] == .bool(false) }.compactMap { $0["line"]?.numberValue } == [2, 3, 4])
            let summary = try #require(documents.last?["summary"])
            #expect(summary["failed"]?.numberValue == 3)
            #expect(summary["rules"]?["coverage"]?["failed"]?.numberValue == 1)
            // The cut record's "Done." names none of its results either.
            #expect(summary["rules"]?["final_answer"]?["failed"]?.numberValue == 2)
            #expect(summary["rules"]?["unreadable"]?["failed"]?.numberValue == 1)
        }

        @Test func aMissingFileIsOneClearError() async throws {
            let fixture = try PipelineFixture()
            let outcome = try await fixture.fcsynth(["check", fixture.file("absent.jsonl").path], namespaced: false)
            #expect(outcome.status != 0 && outcome.status != 1)
            #expect(outcome.output.contains("absent.jsonl"), "\(outcome.output)")
        }
    }
}
