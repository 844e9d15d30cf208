import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// A key the endpoint refuses pauses the run instead of killing its items, and the run
    /// goes on once a key is accepted.
    @Suite struct CredentialRefusalTests {
        @Test func aRefusedKeyPausesTheRunUntilTheEndpointAcceptsIt() async throws {
            let fixture = try PipelineFixture()
            let strict = try await SimulatorProcess.start(
                ["--require-key-env", "FCSYNTH_TEST_SIM_KEY"], environment: ["FCSYNTH_TEST_SIM_KEY": "the-right-key"])
            let port = strict.port
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            var environment = fixture.environment
            environment["FCSYNTH_API_KEY"] = "a-wrong-key"
            let id = TestEnvironment.uniqueName("worker")
            let worker = try fixture.spawn(
                TestEnvironment.executable("fcsynth-worker"),
                [
                    "--namespace", fixture.namespace, "--id", id, "--concurrency", "8", "--lease", "3", "--llm-url",
                    strict.baseURL, "--model", "simulated",
                ], environment: environment, name: id)

            var status = try await fixture.store(run).status()
            let deadline = ContinuousClock.now + .seconds(120)
            while (status.errors["paused_for_credentials"] ?? 0) < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                status = try await fixture.store(run).status()
            }
            #expect((status.errors["paused_for_credentials"] ?? 0) >= 3, "\(status.errors)")
            #expect(status.dead == 0)
            #expect(status.filtered == 0)
            #expect(status.output == 0)
            #expect((status.errors["http_401"] ?? 0) > 0)
            #expect(worker.output.contains("refuses the API key"), "\(worker.output)")
            #expect(!worker.output.contains("a-wrong-key"), "the key reached the log")

            // The endpoint comes back on the same port, accepting the worker's key.
            strict.stop()
            let lenient = try await SimulatorProcess.start(["--port", String(port)])
            defer { lenient.stop() }
            #expect(lenient.port == port)
            let finished = try await fixture.waitUntilComplete(run, timeout: 180)
            finished.expectAccounted()
            #expect(finished.dead == 0)
            #expect(finished.output > 0)
            worker.signal(SIGTERM)
            #expect(try await PipelineFixture.waitForExit(worker, timeout: 30))
        }
    }
}
