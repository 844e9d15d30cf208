import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// `--distractors`, `--irrelevance-ratio` and `--clarify-ratio` through the whole pipeline:
    /// two worker processes on the HTTP simulator, sharing the pool through Redis; every
    /// variant comes out, every record passes `fcsynth check`, and a masked export maps back.
    @Suite struct VariantsEndToEndTests {
        @Test(arguments: [
            (["--irrelevance-ratio", "0.7", "--clarify-ratio", "0.5"], "together at most 1"),
            (["--clarify-ratio=-0.1"], "between 0 and 1"),
            (["--distractors", "21"], "--distractors must be from 0 to 20"),
        ])
        func badOptionsAreRefusedBeforeAnythingIsEnqueued(options: [String], message: String) async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let rows = try SeedRows.write(3, to: fixture.file("rows.jsonl"))
            let outcome = try await fixture.fcsynth(["enqueue", rows.path, "--run", run] + options)
            #expect(outcome.status == 64, "\(outcome.output)")
            #expect(outcome.output.contains(message), "\(outcome.output)")
            #expect(try await fixture.redis.send("EXISTS", fixture.keys(run).settings).integer == 0)
        }

        @Test func theThreeOptionsGiveEveryVariantAndEveryRecordPassesItsChecks() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess([])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(30, to: fixture.file("rows.jsonl")), run: run,
                ["--distractors", "3", "--irrelevance-ratio", "0.25", "--clarify-ratio", "0.25"])
            let workers = try (0..<2).map { _ in
                try fixture.startWorker(llm: .http(baseURL: simulator.baseURL), concurrency: 6)
            }
            let status = try await fixture.waitUntilComplete(run, timeout: 240)
            status.expectAccounted()
            for worker in workers { #expect(try await fixture.stop(worker) == 0) }

            let file = fixture.file("raw.jsonl")
            #expect(
                try await fixture.fcsynth(["export", "--run", run, "-o", file.path, "--format", "raw"]).status == 0)
            let records = try PipelineFixture.lines(of: file).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(records.count == status.output)
            let variants = Dictionary(grouping: records) { $0.lineage.variant }.mapValues(\.count)
            #expect(Set(variants.keys) == [.standard, .irrelevance, .clarify], "\(variants)")
            // The run's counters agree with the records, for status and reports to read.
            let counters = try await fixture.redis.send("HGETALL", fixture.keys(run).counters).fieldValues
            for (variant, count) in variants {
                let name = "output_variant:\((variant ?? .standard).rawValue)"
                #expect(counters[name]?.string == String(count), "\(name)")
            }
            for record in records {
                let planned = Set((record.lineage.subTaskFunctions ?? []).flatMap { $0 })
                let distractors = Set(record.lineage.distractors ?? [])
                let tools = Set(record.tools.map(\.function.name))
                #expect(distractors.isDisjoint(with: planned), "\(record.id)")
                #expect(tools == planned.union(distractors).subtracting([record.lineage.withheldFunction ?? ""]))
                let called = Set(record.messages.flatMap { $0.toolCalls ?? [] }.map(\.function.name))
                #expect(called.isDisjoint(with: distractors), "\(record.id)")
                for rule in ["distractor_call", "unavailable_reported", "clarify_first"] {
                    #expect(record.lineage.checks?[rule]?.outcome == .pass, "\(record.id): \(rule)")
                }
            }
            // The pool fills as the run goes: the later items see the three asked for (how many
            // items come first depends on the workers' timing, so the bound is loose).
            let full = records.filter { $0.lineage.distractors?.count == 3 }.count
            #expect(full * 3 >= records.count, "\(full) of \(records.count) records were shown 3 distractors")

            let checked = try await fixture.fcsynth(["check", file.path], namespaced: false)
            #expect(checked.status == 0, "\(checked.output)")
            #expect(checked.output.contains("\(records.count) records, 0 failing"), "\(checked.output)")

            // Masked: other names, the same structure; mapping the names back gives the record.
            let masked = fixture.file("masked.jsonl")
            #expect(
                try await fixture.fcsynth([
                    "export", "--run", run, "-o", masked.path, "--format", "raw", "--mask-function-names",
                ]).status == 0)
            let maskedRecords = try PipelineFixture.lines(of: masked).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(maskedRecords.count == records.count)
            for (original, masked) in zip(records, maskedRecords) {
                #expect(masked.tools.allSatisfy { $0.function.name.hasPrefix("function_") })
                // The oracle: pair the tools by position; every call maps back to the original's.
                let back = Dictionary(
                    uniqueKeysWithValues: zip(masked.tools.map(\.function.name), original.tools.map(\.function.name)))
                #expect(back.count == original.tools.count)
                let calls = { (record: ConversationRecord) in record.messages.flatMap { $0.toolCalls ?? [] } }
                #expect(calls(masked).map { back[$0.function.name] } == calls(original).map(\.function.name))
                #expect(calls(masked).map(\.function.arguments) == calls(original).map(\.function.arguments))
            }
            let maskedCheck = try await fixture.fcsynth(["check", masked.path], namespaced: false)
            #expect(maskedCheck.status == 0, "\(maskedCheck.output)")

            // A following export resumes a file only with the masking it was written with.
            let followed = fixture.file("followed.jsonl")
            let follow = ["export", "--run", run, "-o", followed.path, "--format", "openai", "--follow"]
            #expect(try await fixture.fcsynth(follow + ["--mask-function-names"]).status == 0)
            let written = PipelineFixture.lines(of: followed)
            #expect(written.count == records.count)
            let refused = try await fixture.fcsynth(follow)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("was written with --mask-function-names"), "\(refused.output)")
            #expect(PipelineFixture.lines(of: followed) == written, "the refused export changed the file")
            #expect(try await fixture.fcsynth(follow + ["--mask-function-names"]).status == 0)
            #expect(PipelineFixture.lines(of: followed) == written)
        }
    }
}
