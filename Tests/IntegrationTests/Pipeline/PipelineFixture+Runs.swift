import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineFixture {
    /// `fcsynth enqueue FILE --run RUN` with extra pipeline options; fails the test unless it exits 0.
    /// `nearDuplicates`: with the near-duplicate filter at its default threshold, which every
    /// other enqueue of a fixture turns off (`start`).
    func enqueue(_ file: URL, run: String, _ options: [String] = [], nearDuplicates: Bool = false) async throws {
        let filter = nearDuplicates ? ["--dedup-threshold", "\(NearDuplicatePolicy.defaultThreshold)"] : []
        let outcome = try await fcsynth(["enqueue", file.path, "--run", run] + options + filter)
        guard outcome.status == 0 else { throw FixtureFailure("enqueue exited \(outcome.status): \(outcome.output)") }
    }

    /// Polls the run's status until it is complete; fails, with the last status and the
    /// workers' logs, once `timeout` seconds pass with no task finished anywhere in the run (a
    /// busy machine only slows a run down), or past ten times `timeout` in all.
    @discardableResult
    func waitUntilComplete(_ run: String, timeout: Double = 60) async throws -> RunStatus {
        var status = try await store(run).status()
        let ceiling = ContinuousClock.now + .milliseconds(Int(timeout * 10_000))
        var deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var progress = Self.progress(of: status)
        while !status.complete {
            if Self.progress(of: status) != progress {
                progress = Self.progress(of: status)
                deadline = min(ceiling, ContinuousClock.now + .milliseconds(Int(timeout * 1000)))
            }
            guard ContinuousClock.now < deadline else {
                throw FixtureFailure(
                    "run \(run) not complete, and no task finished in the last \(timeout) s: \(try JSONCoding.encodeString(status))\n\(workerLogs())"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
            status = try await store(run).status()
        }
        return status
    }

    /// Tasks finished across the run's stages: it grows while the run makes progress.
    private static func progress(of status: RunStatus) -> Int {
        status.stages.values.reduce(0) { $0 + $1.done + $1.failed + $1.retried }
    }

    /// Every conversation in the run's output stream, in order.
    func stream(_ run: String) async throws -> [OutputEntry] {
        var entries: [OutputEntry] = []
        while true {
            let page = try await store(run).readOutput(after: entries.last?.streamID, count: 1_000)
            if page.isEmpty { return entries }
            entries += page
        }
    }

    /// The entries of the run's dead list, as JSON objects.
    func dead(_ run: String) async throws -> [[String: JSONValue]] {
        let entries = try await redis.send("LRANGE", keys(run).dead, 0, -1).array ?? []
        return try entries.map { entry in
            guard let data = entry.data, let object = try JSONCoding.decode(JSONValue.self, from: data).objectValue
            else {
                throw FixtureFailure("a dead entry is not a JSON object: \(entry)")
            }
            return object
        }
    }

    /// The tasks waiting in one of the run's queues.
    func queued(_ run: String, stage: StageName) async throws -> [Data] {
        try await redis.send("LRANGE", keys(run).queue(stage), 0, -1).array?.compactMap(\.data) ?? []
    }

    /// What the fixture's workers logged, for a failure message.
    func workerLogs() -> String {
        let logs = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return logs.filter { $0.lastPathComponent.hasPrefix("worker-") }.sorted { $0.path < $1.path }.map { url in
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            return "--- \(url.lastPathComponent)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

extension RunStatus {
    /// Nothing queued, in flight or waiting, and every item ended in exactly one place.
    func expectAccounted(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(complete, "run \(run) is not complete", sourceLocation: sourceLocation)
        #expect(
            output + filtered + dead == items,
            "run \(run): output \(output) + filtered \(filtered) + dead \(dead) != items \(items)",
            sourceLocation: sourceLocation)
        #expect(delayed == 0, sourceLocation: sourceLocation)
        for (stage, numbers) in stages {
            #expect(
                numbers.queued == 0 && numbers.inFlight == 0, "run \(run): stage \(stage) still holds work: \(numbers)",
                sourceLocation: sourceLocation)
        }
        #expect(
            streamLength == output, "run \(run): \(streamLength) stream entries for \(output) outputs",
            sourceLocation: sourceLocation)
    }
}
