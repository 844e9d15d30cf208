import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthStages

extension PipelineIntegrationTests {
    /// Records say how they were made, and a worker never simulates unasked.
    @Suite struct ProvenanceTests {
        @Test func aWorkerWithoutAnEndpointRefusesToStart() async throws {
            let fixture = try PipelineFixture()
            let id = TestEnvironment.uniqueName("worker")
            let worker = try fixture.spawn(
                TestEnvironment.executable("fcsynth-worker"),
                ["--namespace", fixture.namespace, "--id", id], environment: fixture.environment,
                name: id)
            #expect(
                try await PipelineFixture.waitForExit(worker, timeout: 60), "the worker kept running: \(worker.output)")
            #expect(worker.terminationStatus != 0)
            #expect(worker.output.contains("no LLM endpoint"), "\(worker.output)")
            #expect(worker.output.contains("--simulate"), "\(worker.output)")
            let registered = try await fixture.redis.send(
                "HEXISTS", RunKeys.workerRegistry(namespace: fixture.namespace), id)
            #expect(registered.integer == 0, "a refusing worker registered itself")
        }

        @Test func recordsNameTheHTTPEndpointAndTheModelThatAnsweredEachCall() async throws {
            let fixture = try PipelineFixture()
            guard case .http(let baseURL) = try await fixture.simulator([]) else { return }
            let endpoint = try #require(URLComponents(string: baseURL)).port.map { "127.0.0.1:\($0)" }
            // Credentials in the URL must reach neither the record nor the export.
            let credentialed = baseURL.replacingOccurrences(of: "http://", with: "http://someone:hunter2secret@")
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(llm: .http(baseURL: credentialed), concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(status.output > 0)

            let raw = try await fixture.export(run, format: .raw)
            #expect(raw.count == status.output)
            for line in raw {
                #expect(!String(decoding: line, as: UTF8.self).contains("hunter2secret"))
                let record = try JSONCoding.decode(ConversationRecord.self, from: Data(line))
                let provenance = try #require(record.lineage.provenance, "record \(record.id) has no provenance")
                #expect(provenance.backend == .http)
                #expect(provenance.endpoint == endpoint)
                #expect(provenance.fcsynthVersion == FcsynthVersion.current)
                #expect(provenance.promptVersion == PromptVersion.current)
                // The simulator names itself in its replies, as real endpoints name their model.
                #expect(Set(provenance.models.values) == ["fcsynth-simulated/simulated"])
                let calls = Set(provenance.models.keys)
                #expect(
                    calls.isSuperset(of: [
                        "scenario_extract", "atom_task", "composition_filter", "function_gen",
                        "conv_user", "conv_assistant", "conv_tool",
                    ]), "\(calls)")
                #expect(provenance.isSimulated)
            }
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func exportLeavesOutSimulatedRecordsAndCountsThemInItsMetadata() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(10, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(status.output > 0)

            let all = fixture.file("all.jsonl")
            #expect(try await fixture.fcsynth(["export", "--run", run, "-o", all.path, "--format", "raw"]).status == 0)
            let records = try PipelineFixture.lines(of: all).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(records.count == status.output)
            #expect(
                records.allSatisfy {
                    $0.lineage.provenance?.backend == .simulated && $0.lineage.provenance?.endpoint == nil
                })
            let allMeta = try Self.metadata(of: all)
            #expect(allMeta["provenance"]?["backends"]?["simulated"]?.numberValue == Double(status.output))
            #expect(allMeta["provenance"]?["models"]?["fcsynth-simulated"]?.numberValue == Double(status.output))
            #expect(allMeta["lines"]?.numberValue == Double(status.output))
            #expect(allMeta["status"]?["output"]?.numberValue == Double(status.output))

            let real = fixture.file("real.jsonl")
            let outcome = try await fixture.fcsynth(["export", "--run", run, "-o", real.path, "--exclude-simulated"])
            #expect(outcome.status == 0)
            #expect(PipelineFixture.lines(of: real).isEmpty)
            #expect(
                outcome.output.contains("\(status.output) simulated or of unknown origin left out"), "\(outcome.output)"
            )
            #expect(
                try Self.metadata(of: real)["provenance"]?["excluded_simulated"]?.numberValue == Double(status.output))
            #expect(try await fixture.stop(worker) == 0)
        }

        private static func metadata(of file: URL) throws -> JSONValue {
            try JSONCoding.decode(
                JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: file.path + ".meta.json")))
        }
    }
}
