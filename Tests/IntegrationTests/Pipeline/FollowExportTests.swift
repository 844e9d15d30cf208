import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis
@testable import FcsynthSystem

extension PipelineIntegrationTests {
    /// `export --follow` and `--output-cap`: the stages that write the output stream wait at the
    /// cap instead of the stream being trimmed past an exporter; what an exporter has synced it
    /// acknowledges, and the stream is trimmed only below every destination; a stopped export
    /// resumes where it was; an export that got fewer entries than the run's `output` counter says so.
    /// The oracle is the run's `output` counter and the ids in the stream and the files.
    @Suite struct FollowExportTests {
        static let cap = 5
        static let concurrency = 4
        /// The worker's default `--claim-ahead` at that concurrency: max(2, 4 / 8).
        static let claimAhead = 2
        /// The stream may exceed the cap by the output stages' tasks already in flight or claimed
        /// ahead when it filled.
        static let ceiling = cap + concurrency + claimAhead

        @Test func aCappedRunIsExportedWholeWhileTheStreamStaysAtItsCap() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            let file = fixture.file("out.jsonl")
            let exporter = try fixture.start(Self.follow(run, to: file))
            let worker = try fixture.startWorker(concurrency: Self.concurrency)
            var longest = 0
            let outcome = try await fixture.finish(exporter, run: run) {
                longest = max(longest, try await fixture.streamLength(run))
            }
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(try await fixture.stop(worker) == 0)

            let status = try await fixture.store(run).status()
            #expect(status.complete)
            #expect(status.output + status.filtered + status.dead == status.items)
            // The cap mattered: the run made several times what the stream may hold.
            #expect(status.output > 2 * Self.ceiling, "output \(status.output)")
            let records = try Self.records(of: file)
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
            #expect(records.allSatisfy { $0.lineage.run == run })
            #expect(longest <= Self.ceiling, "the stream held \(longest) entries, over its cap \(Self.cap)")
            #expect(
                outcome.output.contains("exported \(status.output) conversations of run \(run)"), "\(outcome.output)")

            // Everything was acknowledged, so everything was trimmed.
            let progress = try Self.progress(of: file)
            #expect(progress.lines == status.output)
            #expect(try await fixture.streamLength(run) == 0)
            #expect(Array(try await fixture.exporters(run).values) == [progress.streamID].compactMap { $0 })
        }

        @Test func withoutAnExporterTheOutputStagesWaitAtTheCapUntilOneStarts() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            let worker = try fixture.startWorker(concurrency: Self.concurrency)

            let stalled = try await fixture.waitUntilHeldAtCap(run)
            try await Task.sleep(for: .seconds(2))
            let later = try await fixture.store(run).status()
            #expect(later.output == stalled.output, "output grew from \(stalled.output) to \(later.output) at the cap")
            #expect(!later.complete)
            #expect((Self.cap...Self.ceiling).contains(later.output), "output \(later.output)")
            // Nothing acknowledged, nothing trimmed: the stream holds every conversation made.
            #expect(later.streamLength == later.output)
            let waiting = PipelineScripts.outputStages.reduce(0) { $0 + (later.stages[$1.rawValue]?.queued ?? 0) }
            #expect(waiting > 0, "no conversation or judge task waits")
            #expect(later.output + later.filtered + later.dead < later.items)

            let json = try await fixture.statusCommand(run)
            #expect(json.outputCap == Self.cap && json.atOutputCap && json.exporters.isEmpty)
            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(
                table.output.contains(
                    "output stream at its cap (\(later.output) of \(Self.cap)): conversations wait for export --follow to take them"
                ), "\(table.output)")

            let file = fixture.file("out.jsonl")
            let outcome = try await fixture.finish(try fixture.start(Self.follow(run, to: file)), run: run)
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete && !status.atOutputCap)
            #expect(status.output > Self.ceiling)
            #expect(status.output + status.filtered + status.dead == status.items)
            let records = try Self.records(of: file)
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
        }

        @Test func anExporterPausedMidRunLosesNothing() async throws {
            let fixture = try PipelineFixture()
            let llm = try await fixture.simulator(["--latency-ms", "100"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            let file = fixture.file("out.jsonl")
            let exporter = try fixture.start(Self.follow(run, to: file))
            let worker = try fixture.startWorker(llm: llm, concurrency: Self.concurrency)
            var longest = 0
            try await fixture.waitForLines(3, of: file, run: run) {
                longest = max(longest, try await fixture.streamLength(run))
            }

            exporter.signal(SIGSTOP)
            let stalled = try await fixture.waitUntilHeldAtCap(run)
            #expect(exporter.isRunning, "the exporter ended before it was paused: \(exporter.output)")
            try await Task.sleep(for: .seconds(3))
            let paused = try await fixture.store(run).status()
            #expect(paused.output == stalled.output, "output grew while the exporter was paused")
            #expect(!paused.complete)
            longest = max(longest, paused.streamLength)
            exporter.signal(SIGCONT)

            let outcome = try await fixture.finish(exporter, run: run) {
                longest = max(longest, try await fixture.streamLength(run))
            }
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete)
            #expect(status.output > paused.output)
            let records = try Self.records(of: file)
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
            #expect(longest <= Self.ceiling, "the stream held \(longest) entries, over its cap \(Self.cap)")
            #expect(try await fixture.streamLength(run) == 0)
        }

        /// SIGTERM checkpoints and says so; SIGKILL leaves the last checkpoint, and maybe lines after it.
        @Test(arguments: [SIGTERM, SIGKILL])
        func aStoppedExporterResumesWithNoGapAndNoDuplicate(signal: Int32) async throws {
            let fixture = try PipelineFixture()
            let llm = try await fixture.simulator(["--latency-ms", "100"])
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            let file = fixture.file("out.jsonl")
            let arguments = Self.follow(run, to: file)
            let first = try fixture.start(arguments)
            let worker = try fixture.startWorker(llm: llm, concurrency: Self.concurrency)
            try await fixture.waitForLines(5, of: file, run: run)

            first.signal(signal)
            #expect(
                try await PipelineFixture.waitForExit(first, timeout: 60), "signal \(signal) did not stop the export")
            #expect(first.terminationStatus == 128 + signal)
            #expect(!(try await fixture.store(run).status().complete), "the run ended before the export was stopped")
            let saved = try Self.progress(of: file)
            #expect(saved.lines >= 5)
            let left = try Data(contentsOf: file)
            #expect(UInt64(left.count) >= saved.bytes)
            // The checkpoint is whole lines, exactly those its progress counts.
            let firstPart = left.prefix(Int(saved.bytes))
            #expect(firstPart.last == UInt8(ascii: "\n"))
            let firstRecords = try firstPart.split(separator: UInt8(ascii: "\n")).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(firstRecords.count == saved.lines)
            let mark = try #require(try await fixture.exporters(run).values.first)
            if signal == SIGTERM {
                #expect(
                    first.output.contains(
                        "stopped by signal \(SIGTERM) with everything written synced; run the same command to resume"),
                    "\(first.output)")
                #expect(left.count == firstPart.count)
                #expect(mark == saved.streamID)
            } else {
                // Killed between saving and acknowledging, the mark may lag the checkpoint, never lead it.
                #expect(try Self.streamID(mark, isAtMost: try #require(saved.streamID)), "\(mark) \(saved)")
            }

            let second = try await fixture.fcsynth(arguments) {
                try await fixture.progressMark(run, file: file)
            }
            #expect(second.status == 0, "\(second.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete)
            #expect(
                second.output.contains("exported \(status.output) conversations of run \(run) (resumed)"),
                "\(second.output)")
            let whole = try Data(contentsOf: file)
            #expect(whole.prefix(firstPart.count) == firstPart, "the resumed export changed the first part")
            let records = try Self.records(of: file)
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
            #expect(records.prefix(firstRecords.count).map(\.id) == firstRecords.map(\.id))
            #expect(try Self.progress(of: file).lines == status.output)
        }

        @Test func anExportMissingTrimmedEntriesSaysHowManyAndFails() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: Self.concurrency)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            status.expectAccounted()
            #expect(try await fixture.stop(worker) == 0)
            let entries = try await fixture.stream(run)
            let count = status.output
            try #require(count >= 4)

            // One entry deleted by hand: a one-shot export gets the rest and says what it missed.
            let removed = entries[count / 2]
            #expect(try await fixture.redis.send("XDEL", fixture.keys(run).output, removed.streamID).integer == 1)
            let once = fixture.file("once.jsonl")
            let outcome = try await fixture.fcsynth(["export", "--run", run, "-o", once.path, "--format", "raw"])
            #expect(outcome.status == 1, "\(outcome.output)")
            #expect(
                outcome.output.contains("error: exported \(count - 1) of the run's \(count) conversations"),
                "\(outcome.output)")
            #expect(
                try Self.records(of: once).map(\.id)
                    == entries.filter { $0.streamID != removed.streamID }.map(\.conversationID))

            // The stream trimmed below its third entry: a following export fails the same way.
            let trimmed = try await fixture.redis.send(
                "XTRIM", fixture.keys(run).output, "MINID", entries[2].streamID)
            #expect(trimmed.integer == 2)
            let followed = fixture.file("followed.jsonl")
            let following = try await fixture.fcsynth(Self.follow(run, to: followed))
            #expect(following.status == 1, "\(following.output)")
            #expect(
                following.output.contains("error: exported \(count - 3) of the run's \(count) conversations"),
                "\(following.output)")
            #expect(try Self.records(of: followed).count == count - 3)
        }

        @Test func theStreamIsTrimmedOnlyBelowTheSlowestDestination() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run)
            // The slow destination registers, then is stopped before the run makes anything.
            let slowFile = fixture.file("slow.jsonl")
            let slow = try fixture.start(Self.follow(run, to: slowFile, destination: "slow"))
            #expect(
                try await PipelineFixture.eventually(timeout: 60) {
                    try await fixture.exporters(run)["slow"] == "0-0"
                }, "the slow export never registered: \(slow.output)")
            slow.signal(SIGSTOP)
            let fastFile = fixture.file("fast.jsonl")
            let fast = try fixture.start(Self.follow(run, to: fastFile, destination: "fast"))
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.exporters(run)["fast"] != nil },
                "the fast export never registered: \(fast.output)")
            let worker = try fixture.startWorker(concurrency: Self.concurrency)

            let fastOutcome = try await fixture.finish(fast, run: run)
            #expect(fastOutcome.status == 0, "\(fastOutcome.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete && status.output > 0)
            let fastRecords = try Self.records(of: fastFile)
            #expect(fastRecords.count == status.output)
            // The fast destination has acknowledged everything, the slow one nothing: all is kept.
            let stream = try await fixture.stream(run)
            #expect(stream.count == status.output)
            #expect(stream.map(\.conversationID) == fastRecords.map(\.id))
            var marks = try await fixture.exporters(run)
            #expect(marks == ["fast": try #require(stream.last).streamID, "slow": "0-0"])
            #expect(try await fixture.statusCommand(run).exporters == marks)

            slow.signal(SIGCONT)
            let slowOutcome = try await fixture.finish(slow, run: run)
            #expect(slowOutcome.status == 0, "\(slowOutcome.output)")
            #expect(try Self.records(of: slowFile).map(\.id) == fastRecords.map(\.id))
            // Both have it all now, and the stream is empty.
            marks = try await fixture.exporters(run)
            #expect(marks == ["fast": try #require(stream.last).streamID, "slow": try #require(stream.last).streamID])
            #expect(try await fixture.streamLength(run) == 0)
        }

        @Test func aDestinationGoneForGoodHoldsTheStreamUntilRemoved() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            // An export registers and dies before writing anything.
            let gone = try fixture.start(Self.follow(run, to: fixture.file("gone.jsonl"), destination: "gone"))
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.exporters(run)["gone"] == "0-0" },
                "the export never registered: \(gone.output)")
            gone.signal(SIGKILL)
            #expect(try await PipelineFixture.waitForExit(gone, timeout: 30))
            let file = fixture.file("live.jsonl")
            let live = try fixture.start(Self.follow(run, to: file, destination: "live"))
            #expect(
                try await PipelineFixture.eventually(timeout: 60) { try await fixture.exporters(run)["live"] != nil },
                "the export never registered: \(live.output)")
            let worker = try fixture.startWorker(concurrency: Self.concurrency)

            // The live export writes everything there is, and the run still waits for the dead one.
            let held = try await fixture.waitUntilHeldAtCap(run)
            #expect(
                try await PipelineFixture.eventually(timeout: 120) {
                    (try? Self.progress(of: file).lines) == held.output
                }, "the live export did not write the \(held.output) conversations made")
            #expect(try await fixture.streamLength(run) == held.output)
            #expect(try await fixture.exporters(run)["gone"] == "0-0")
            #expect(!(try await fixture.store(run).status().complete))

            // Removed by hand, as docs/operations.md says: the live export's next acknowledgement
            // trims the stream, though it has nothing new to write.
            #expect(try await fixture.redis.send("HDEL", fixture.keys(run).exporters, "gone").integer == 1)
            let outcome = try await fixture.finish(live, run: run)
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete && status.output > held.output)
            let records = try Self.records(of: file)
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
            #expect(try await fixture.exporters(run).keys.sorted() == ["live"])
            #expect(try await fixture.streamLength(run) == 0)
        }

        @Test func aFollowingExportToStandardOutputOfACappedRunNeedsADestination() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(20, to: fixture.file("rows.jsonl")), run: run, ["--output-cap", "\(Self.cap)"])
            // Nameless, it would acknowledge nothing, and the run and the export would wait forever.
            let refused = try await fixture.fcsynth(["export", "--run", run, "--follow", "-o", "-"])
            #expect(refused.status != 0)
            #expect(refused.output.contains("give --destination NAME"), "\(refused.output)")
            #expect(try await fixture.exporters(run).isEmpty)

            let worker = try fixture.startWorker(concurrency: Self.concurrency)
            let exporter = try fixture.start([
                "export", "--run", run, "--follow", "-o", "-", "--format", "raw", "--destination", "pipe",
            ])
            let outcome = try await fixture.finish(exporter, run: run)
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(try await fixture.stop(worker) == 0)
            let status = try await fixture.store(run).status()
            #expect(status.complete && status.output > Self.ceiling)
            let records = try outcome.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0.utf8))
            }
            #expect(records.count == status.output)
            #expect(Set(records.map(\.id)).count == records.count, "duplicate conversation ids")
            #expect(try await fixture.streamLength(run) == 0)
        }

        @Test func runRefusesAnOutputCapItWouldWaitAtForever() async throws {
            let fixture = try PipelineFixture()
            let rows = try SeedRows.write(4, to: fixture.file("rows.jsonl"))
            let run = TestEnvironment.uniqueName("run")
            let outcome = try await fixture.fcsynth([
                "run", rows.path, "--run", run, "--workers", "1", "--output-cap", "5",
                "-o", fixture.file("out.jsonl").path,
            ])
            #expect(outcome.status != 0)
            #expect(outcome.output.contains("--output-cap"), "\(outcome.output)")
            #expect(
                try await fixture.redis.send("SISMEMBER", RunKeys.runs(namespace: fixture.namespace), run).integer == 0)
        }

        /// `export --follow` of `run` into `file` as raw records.
        static func follow(_ run: String, to file: URL, destination: String? = nil) -> [String] {
            ["export", "--run", run, "--follow", "-o", file.path, "--format", "raw"]
                + (destination.map { ["--destination", $0] } ?? [])
        }

        static func records(of file: URL) throws -> [ConversationRecord] {
            try PipelineFixture.lines(of: file).map { try JSONCoding.decode(ConversationRecord.self, from: Data($0)) }
        }

        /// Stream ids compare as numbers: milliseconds, then the sequence.
        static func streamID(_ id: String, isAtMost other: String) throws -> Bool {
            func parts(_ id: String) throws -> [Int] {
                let parts = id.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2 else { throw FixtureFailure("not a stream id: \(id)") }
                return parts
            }
            return try !parts(other).lexicographicallyPrecedes(try parts(id))
        }

        static func progress(of file: URL) throws -> ExportProgress {
            try JSONCoding.decode(ExportProgress.self, from: Data(contentsOf: RunExporter.progressURL(for: file.path)))
        }
    }
}

extension PipelineFixture {
    func streamLength(_ run: String) async throws -> Int {
        Int(try await redis.send("XLEN", keys(run).output).integer ?? -1)
    }

    /// Each export destination of the run and the last stream id it acknowledged.
    func exporters(_ run: String) async throws -> [String: String] {
        try await redis.send("HGETALL", keys(run).exporters).fieldValues.compactMapValues(\.string)
    }

    /// Moves whenever the run or an export to `file` does: tasks done, bytes written.
    func progressMark(_ run: String, file: URL? = nil) async throws -> Int {
        let done = try await store(run).status().stages.values.reduce(0) { $0 + $1.done }
        let bytes = file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int } ?? 0
        return done + bytes
    }

    /// Waits for a started command to end for as long as the run makes progress, calling `sample`
    /// at each poll; one that stands still for `stall` seconds is killed and fails the test.
    func finish(
        _ child: ChildProcess, run: String, stall: Double = 180, sample: () async throws -> Void = {}
    ) async throws -> CommandOutcome {
        try await waitForEnd(
            of: child, whileProgressing: { try await progressMark(run) }, stall: stall, sample: sample,
            describe: { _, child in
                "a command made no progress for \(stall) s: \(try JSONCoding.encodeString(try await store(run).status()))\n\(child.output)\n\(workerLogs())"
            })
    }

    /// Waits until a following export to `file` has saved progress of at least `lines` lines.
    func waitForLines(
        _ lines: Int, of file: URL, run: String, timeout: Double = 240, sample: () async throws -> Void = {}
    ) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while (try? PipelineIntegrationTests.FollowExportTests.progress(of: file).lines) ?? 0 < lines {
            guard ContinuousClock.now < deadline else {
                throw FixtureFailure(
                    "the export to \(file.lastPathComponent) saved fewer than \(lines) lines in \(timeout) s: \(try JSONCoding.encodeString(try await store(run).status()))\n\(workerLogs())"
                )
            }
            try await sample()
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until the run is held at its output cap: the stream at the cap and no task of the
    /// stages that write it in flight, on two status reads in a row (the second one's counters
    /// are read after the first saw the cap, and with no acknowledgement the stream only grows,
    /// so nothing more can be claimed from those stages). Returns the second status.
    func waitUntilHeldAtCap(_ run: String, timeout: Double = 240) async throws -> RunStatus {
        func held(_ status: RunStatus) -> Bool {
            status.atOutputCap
                && PipelineScripts.outputStages.allSatisfy { (status.stages[$0.rawValue]?.inFlight ?? 0) == 0 }
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var previous = false
        while true {
            let status = try await store(run).status()
            if held(status) {
                if previous { return status }
                previous = true
            } else {
                previous = false
            }
            guard ContinuousClock.now < deadline else {
                throw FixtureFailure(
                    "run \(run) not held at its output cap after \(timeout) s: \(try JSONCoding.encodeString(status))\n\(workerLogs())"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
