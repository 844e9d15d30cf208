import FcsynthRedis
import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    @Suite struct EndToEndTests {
        @Test func workersFinishAFewHundredRowsAndEveryExportIsValid() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(300, to: fixture.file("rows.jsonl")), run: run)
            let workers = try (0..<3).map { _ in try fixture.startWorker(concurrency: 16) }

            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.rowsEnqueued == 300 && status.rowsRejected == 0)
            #expect(status.items >= 300 && status.output > 0)
            #expect(status.workers == workers.count)
            let reported = try await fixture.statusCommand(run)
            #expect(
                reported.complete && reported.items == status.items && reported.output == status.output
                    && reported.filtered == status.filtered && reported.dead == status.dead)

            let records = try await fixture.expectValidStream(run)
            #expect(records.count == status.output)
            #expect(records.allSatisfy { (1...300).contains($0.lineage.line) })
            try await fixture.expectOnlyRunKeys()

            let raw = try await fixture.export(run, format: .raw)
            let exported = try raw.map { try JSONCoding.decode(ConversationRecord.self, from: Data($0)) }
            #expect(exported.map(\.id) == records.map(\.id))
            #expect(exported.allSatisfy { ConversationValidator.validate($0).isEmpty })

            let openai = try await fixture.export(run, format: .openai)
            #expect(openai.count == records.count)
            for (index, line) in openai.enumerated() {
                let problems = OpenAILineCheck.problems(in: line)
                #expect(problems.isEmpty, "openai line \(index + 1): \(problems)")
            }

            let sharegpt = try await fixture.export(run, format: .sharegpt)
            #expect(sharegpt.count == records.count)
            for (index, line) in sharegpt.enumerated() {
                #expect(throws: Never.self, "sharegpt line \(index + 1)") { try ShareGPTValidator.validate(line) }
            }

            for worker in workers {
                #expect(try await fixture.stop(worker) == 0)
            }
            #expect(try await fixture.store(run).status().workers == 0)
        }

        @Test func exportFollowWritesEveryConversationAndEndsWithTheRun() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(60, to: fixture.file("rows.jsonl")), run: run)
            let file = fixture.file("followed.jsonl")
            let export = try fixture.start(["export", "--run", run, "-o", file.path, "--format", "raw", "--follow"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(export.isRunning, "export --follow ended before the run did: \(export.output)")
            let worker = try fixture.startWorker(concurrency: 8)

            let status = try await fixture.waitUntilComplete(run, timeout: 60)
            #expect(
                try await PipelineFixture.waitForExit(export, timeout: 15), "export --follow did not end with the run")
            #expect(export.terminationStatus == 0, "\(export.output)")
            let ids = try PipelineFixture.lines(of: file).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0)).id
            }
            #expect(ids.count == status.output && Set(ids).count == ids.count)
            #expect(try await fixture.stop(worker) == 0)
        }

        /// Errors, resets and broken replies on a share of the calls: client retries, stage
        /// corrections and queue retries absorb them, and what comes out is still valid.
        @Test func aFlakyModelStillYieldsValidConversations() async throws {
            let fixture = try PipelineFixture()
            let flaky = try await fixture.simulator([
                "--fault-rate", "0.25", "--faults", "500,429,reset,malformed,prose,body", "--retry-after", "0",
            ])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(llm: flaky, concurrency: 32)

            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.output > 0)
            try await fixture.expectValidStream(run)
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func workersWithoutARunServeTwoRunsAtOnce() async throws {
            let fixture = try PipelineFixture()
            let runs = [TestEnvironment.uniqueName("first"), TestEnvironment.uniqueName("second")]
            try await fixture.enqueue(try SeedRows.write(80, to: fixture.file("a.jsonl")), run: runs[0])
            try await fixture.enqueue(try SeedRows.write(60, to: fixture.file("b.jsonl")), run: runs[1])
            let workers = try (0..<2).map { _ in try fixture.startWorker(concurrency: 16) }

            for (run, rows) in zip(runs, [80, 60]) {
                let status = try await fixture.waitUntilComplete(run, timeout: 90)
                status.expectAccounted()
                #expect(status.rowsEnqueued == rows)
                let records = try await fixture.expectValidStream(run)
                #expect(records.count == status.output && !records.isEmpty)
            }
            for worker in workers {
                #expect(try await fixture.stop(worker) == 0)
            }
        }

        /// The main README command: a private Redis, two workers, the simulated LLM.
        @Test func localRunWritesValidOpenAILines() async throws {
            let fixture = try PipelineFixture()
            var environment = fixture.environment
            environment.removeValue(forKey: "FCSYNTH_REDIS_URL")
            let output = fixture.file("out/conversations.jsonl")
            let outcome = try await fixture.fcsynth(
                ["run", SeedRows.exampleFile.path, "--workers", "2", "-o", output.path],
                namespaced: false, environment: environment, timeout: 120)
            #expect(outcome.status == 0, "fcsynth run: \(outcome.output)")

            let lines = PipelineFixture.lines(of: output)
            #expect(lines.count >= SeedRows.examples.count / 2)
            #expect(outcome.output.contains("\(lines.count) conversations written to \(output.path)"))
            for (index, line) in lines.enumerated() {
                let problems = OpenAILineCheck.problems(in: line)
                #expect(problems.isEmpty, "line \(index + 1): \(problems)")
            }
        }

        /// `fcsynth run` keeps its private Redis's data beside the output until the end, so that
        /// the same command after an interruption resumes, rather than starts over.
        @Test func anInterruptedLocalRunResumesWithTheSameCommand() async throws {
            let fixture = try PipelineFixture()
            guard case .http(let llmURL) = try await fixture.simulator(["--latency-ms", "400"]) else { return }
            var environment = fixture.environment
            environment.removeValue(forKey: "FCSYNTH_REDIS_URL")
            let output = fixture.file("out/conversations.jsonl")
            let state = fixture.file("out/.fcsynth/conversations.jsonl")
            let command = [
                "run", SeedRows.exampleFile.path, "--workers", "2", "--concurrency", "4", "-o", output.path,
                "--llm-url", llmURL, "--model", "simulated", "--format", "raw",
            ]
            let first = try fixture.start(command, namespaced: false, environment: environment)
            let config = state.appendingPathComponent("redis/redis.conf")
            #expect(
                try await PipelineFixture.eventually(timeout: 60) {
                    FileManager.default.fileExists(atPath: config.path)
                }, "\(first.output)")
            let port = try #require(
                try String(contentsOf: config, encoding: .utf8).firstMatch(of: /port (\d+)/).flatMap { Int($0.1) })
            let redis = RedisClient(url: RedisURL(host: "127.0.0.1", port: port), options: .patient(waitingUpTo: 30))
            defer { redis.close() }
            let store = RunStore(redis: redis, keys: RunKeys(namespace: "fcsynth", run: "seed_chats"))
            #expect(
                try await PipelineFixture.eventually(timeout: 120, interval: .milliseconds(100)) {
                    (try? await store.status().output) ?? 0 >= 3
                }, "\(first.output)")
            first.signal(SIGINT)
            #expect(try await PipelineFixture.waitForExit(first, timeout: 60))
            #expect(first.terminationStatus == 130, "\(first.output)")
            #expect(first.output.contains("run again with the same command to resume"), "\(first.output)")
            #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("redis/appendonlydir").path))

            let second = try await fixture.fcsynth(command, namespaced: false, environment: environment, timeout: 300)
            #expect(second.status == 0, "\(second.output)")
            #expect(
                second.output.contains("its data in \(state.path), resuming")
                    && second.output.contains("0 rows enqueued (resumed after row \(SeedRows.examples.count))"),
                "\(second.output)")
            let lines = PipelineFixture.lines(of: output)
            let ids = try lines.map { try JSONCoding.decode([String: JSONValue].self, from: Data($0))["id"] }
            #expect(!ids.isEmpty && Set(ids).count == ids.count && !ids.contains(nil))
            #expect(second.output.contains("\(lines.count) conversations written"), "\(second.output)")
            let meta = try JSONCoding.decode(
                [String: JSONValue].self, from: Data(contentsOf: URL(fileURLWithPath: output.path + ".meta.json")))
            let status = try #require(meta["status"]?.objectValue, "\(meta)")
            #expect(status["rows_enqueued"] == .number(Double(SeedRows.examples.count)), "\(status)")
            #expect(status["output"] == .number(Double(lines.count)), "\(status)")
            #expect(!FileManager.default.fileExists(atPath: fixture.file("out/.fcsynth").path))
        }
    }
}
