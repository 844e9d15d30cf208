import FcsynthCore
import FcsynthPipeline
import FcsynthRedis
import Foundation
import TestSupport
import Testing

extension PipelineIntegrationTests {
    /// Enqueues that race for one run, through a proxy that puts 150 ms between them and
    /// Redis, as a remote Redis does: each row goes in once, and never from two files.
    @Suite struct EnqueueRaceTests {
        @Test func enqueuesOfTwoFilesIntoOneRunNeverMixThem() async throws {
            let fixture = try PipelineFixture()
            let proxy = try LatencyProxy(to: fixture.redisURL.port, delay: .milliseconds(75))
            defer { proxy.stop() }
            let files = try ["a", "b"].map { name in
                let url = fixture.file("\(name).jsonl")
                let rows = (1...50).map { #"{"chat": "USER: file \#(name) row \#($0): book a table in Porto"}"# }
                try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
                return url
            }
            for round in 1...5 {
                let run = TestEnvironment.uniqueName("race\(round)")
                // Three enqueues of each file at once.
                let children = try (0..<6).map { index in
                    try fixture.start(
                        ["enqueue", files[index % 2].path, "--run", run], environment: environment(fixture, proxy))
                }
                var outcomes: [(file: Int, status: Int32, output: String)] = []
                for (index, child) in children.enumerated() {
                    #expect(try await PipelineFixture.waitForExit(child, timeout: 120), "\(child.output)")
                    outcomes.append((index % 2, child.terminationStatus ?? -1, child.output))
                }
                let winners = Set(outcomes.filter { $0.status == 0 }.map(\.file))
                #expect(winners.count == 1, "round \(round): \(outcomes)")
                for loser in outcomes where loser.status != 0 {
                    #expect(loser.status == 1, "\(loser.output)")
                    #expect(
                        loser.output.contains("was enqueued from") || loser.output.contains("bound to another input"),
                        "\(loser.output)")
                }
                let winner = try #require(winners.first)
                let name = winner == 0 ? "a" : "b"
                let seeds = try await fixture.queued(run, stage: .scenarioExtract).map {
                    try TaskEnvelope.decode($0).item
                }
                #expect(seeds.map(\.id) == (1...50).map(String.init), "round \(round)")
                #expect(seeds.allSatisfy { ($0.seed ?? "").contains("file \(name) row \($0.id):") }, "round \(round)")
                let status = try await fixture.store(run).status()
                #expect(
                    status.rowsEnqueued == 50 && status.items == 50 && status.rowsRejected == 0
                        && status.rowsDuplicate == 0 && status.state == "enqueued", "\(status)")
            }
        }

        @Test func enqueuesOfOneFileAtOnceTakeEachRowOnce() async throws {
            let fixture = try PipelineFixture()
            let proxy = try LatencyProxy(to: fixture.redisURL.port, delay: .milliseconds(75))
            defer { proxy.stop() }
            let rows = 4_500
            let file = try SeedRows.write(rows, to: fixture.file("rows.jsonl"))
            let run = TestEnvironment.uniqueName("same")
            let children = try (0..<4).map { _ in
                try fixture.start(["enqueue", file.path, "--run", run], environment: environment(fixture, proxy))
            }
            var enqueued = 0
            for child in children {
                #expect(try await PipelineFixture.waitForExit(child, timeout: 300), "\(child.output)")
                #expect(child.terminationStatus == 0, "\(child.output)")
                #expect(!child.output.contains("repeats"), "\(child.output)")
                let count = child.output.firstMatch(of: /(\d+) rows enqueued/).map { Int($0.1) ?? 0 }
                enqueued += try #require(count, "\(child.output)")
            }
            #expect(enqueued == rows)
            #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...rows).map(String.init))
            let status = try await fixture.store(run).status()
            #expect(
                status.rowsEnqueued == rows && status.rowsRejected == 0 && status.rowsDuplicate == 0
                    && status.state == "enqueued", "\(status)")
        }

        private func environment(_ fixture: PipelineFixture, _ proxy: LatencyProxy) -> [String: String] {
            var environment = fixture.environment
            var url = fixture.redisURL
            url.port = proxy.port
            environment["FCSYNTH_REDIS_URL"] = url.secretText
            return environment
        }
    }
}
