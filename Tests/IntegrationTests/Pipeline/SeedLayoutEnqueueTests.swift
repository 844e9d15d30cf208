import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// Seed logs in the layouts people have, through `fcsynth enqueue` into the queue and on
    /// through the workers.
    @Suite struct SeedLayoutEnqueueTests {
        /// The seeds queued for the run, by item id.
        private static func queuedSeeds(_ fixture: PipelineFixture, _ run: String) async throws -> [String: String] {
            var seeds: [String: String] = [:]
            for entry in try await fixture.queued(run, stage: .scenarioExtract) {
                let task = try JSONCoding.decode(JSONValue.self, from: entry)
                guard let id = task["item"]?["id"]?.stringValue, let seed = task["item"]?["seed"]?.stringValue else {
                    throw FixtureFailure("a queued task without an item seed: \(task)")
                }
                seeds[id] = seed
            }
            return seeds
        }

        @Test func messagesAndConversationsRowsBecomeChatTextAndBadTurnsAreReportedByLine() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let file = fixture.file("layouts.jsonl")
            let rows = [
                #"{"chat": "USER: Book a table in Porto for two tonight."}"#,
                #"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Find flights from Oslo to Rome on 3 May."}, {"role": "assistant", "content": "Direct or with stops?"}]}"#,
                #"{"conversations": [{"from": "human", "value": "Convert 20 EUR to USD."}, {"from": "function_call", "value": "{\"name\": \"convert\", \"arguments\": {\"amount\": 20}}"}, {"from": "observation", "value": "{\"usd\": 21.6}"}, {"from": "gpt", "value": "That is 21.60 USD."}]}"#,
                #"{"messages": [{"role": "user", "content": "hi"}, {"role": "narrator", "content": "x"}]}"#,
                #"{"conversations": []}"#,
                #"{"messages": [{"role": "user", "content": "Weather in Lima tomorrow?"}]}"#,
            ]
            try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            let outcome = try await fixture.fcsynth(["enqueue", file.path, "--run", run])
            #expect(outcome.status == 2, "\(outcome.output)")
            #expect(
                outcome.rejections(of: file.path) == [
                    #"\#(file.path):line 4: "messages" turn 2 has the role "narrator", not system, user, assistant or tool"#,
                    #"\#(file.path):line 5: "conversations" is an empty list"#,
                ], "\(outcome.output)")
            #expect(
                try await Self.queuedSeeds(fixture, run) == [
                    "1": "USER: Book a table in Porto for two tonight.",
                    "2":
                        "SYSTEM: Be brief.\n\n\nUSER: Find flights from Oslo to Rome on 3 May.\n\n\nASSISTANT: Direct or with stops?",
                    "3":
                        "USER: Convert 20 EUR to USD.\n\n\nASSISTANT: <functioncall> {\"name\": \"convert\", \"arguments\": {\"amount\": 20}}"
                        + "\n\n\nFUNCTION RESPONSE: {\"usd\": 21.6}\n\n\nASSISTANT: That is 21.60 USD.",
                    "6": "USER: Weather in Lima tomorrow?",
                ])

            // The rendered seeds go through the pipeline like glaive chats.
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(try await fixture.stop(worker) == 0)
            status.expectAccounted()
            #expect(status.rowsEnqueued == 4 && status.rowsRejected == 2 && status.output > 0)
            let lines = Set(try await fixture.expectValidStream(run).map(\.lineage.line))
            #expect(lines.isSubset(of: [1, 2, 3, 6]) && lines.count >= 2, "\(lines)")
        }

        @Test func aDottedInputKeyReadsANestedDialogue() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let file = fixture.file("nested.json")
            try #"""
            [{"data": {"dialogue": [{"from": "human", "value": "Reserve a car in Nice for Friday."}]}},
             {"data": {"dialogue": "USER: Track parcel 99812."}},
             {"data": {"text": "no dialogue"}}]
            """#.write(to: file, atomically: true, encoding: .utf8)
            let outcome = try await fixture.fcsynth([
                "enqueue", file.path, "--run", run, "--input-key", "data.dialogue",
            ])
            #expect(outcome.status == 2, "\(outcome.output)")
            #expect(
                outcome.rejections(of: file.path) == [
                    #"\#(file.path):line 3 (element 3): no "data.dialogue" field (the input key; set it with --input-key)"#
                ], "\(outcome.output)")
            #expect(
                try await Self.queuedSeeds(fixture, run) == [
                    "1": "USER: Reserve a car in Nice for Friday.", "2": "USER: Track parcel 99812.",
                ])
        }
    }
}
