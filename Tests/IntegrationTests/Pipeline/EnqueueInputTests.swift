import FcsynthPipeline
import Foundation
import TestSupport
import Testing

@testable import FcsynthCore

extension PipelineIntegrationTests {
    /// `fcsynth enqueue` on real files: resuming, bad rows, and inputs that are not files of rows.
    @Suite struct EnqueueInputTests {
        @Test func enqueueAgainAfterAppendingAddsOnlyTheNewRows() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let file = fixture.file("rows.jsonl")
            try (SeedRows.lines(50).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            try await fixture.enqueue(file, run: run)

            let appended = try SeedRows.lines(30, startingAt: 50) + ["not json", #"{"chat": ""}"#]
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((appended.joined(separator: "\n") + "\n").utf8))
            try handle.close()
            let second = try await fixture.fcsynth(["enqueue", file.path, "--run", run])
            #expect(second.status == 2)
            #expect(second.output.contains("30 rows enqueued (resumed after row 50), 2 rejected"), "\(second.output)")
            let rejections = second.rejections(of: file.path)
            #expect(
                rejections.count == 2 && rejections.first?.hasPrefix("\(file.path):line 81: not valid JSON") == true
                    && rejections.last == "\(file.path):line 82: \"chat\" is empty", "\(rejections)")

            let third = try await fixture.fcsynth(["enqueue", file.path, "--run", run])
            #expect(third.status == 0, "\(third.output)")

            let status = try await fixture.store(run).status()
            #expect(status.rowsEnqueued == 80 && status.rowsRejected == 2 && status.items == 80)
            #expect(try await Self.queuedItemIDs(fixture, run) == (1...80).map(String.init))
        }

        /// Enqueue holds back while the first queue is above the high-water mark and goes on as
        /// it drains: the queue never holds more than the mark and one batch (1,000 rows), and
        /// every row arrives once. The test drains the queue as workers would, in one atomic
        /// `LPOP` at a time.
        @Test func enqueueWaitsAboveTheHighWaterMarkAndGoesOnAsTheQueueDrains() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let rows = 6_000
            let file = try SeedRows.write(rows, to: fixture.file("rows.jsonl"))
            let queue = fixture.keys(run).queue(.scenarioExtract)
            let child = try fixture.start(["enqueue", file.path, "--run", run, "--high-water-mark", "1500"])
            func length() async throws -> Int { Int(try await fixture.redis.send("LLEN", queue).integer ?? 0) }
            // Batches land at 1,000 and 2,000 rows; the second's reply says the queue is over the mark.
            let ceiling = ContinuousClock.now + .seconds(120)
            while try await length() < 2_000, child.isRunning, ContinuousClock.now < ceiling {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .seconds(1))
            #expect(child.isRunning, "enqueue did not wait: \(child.output)")
            #expect(try await length() == 2_000)
            var longest = 0
            var taken: [Data] = []
            let outcome = try await fixture.waitForEnd(
                of: child,
                whileProgressing: { taken.count },
                stall: 120,
                sample: {
                    longest = max(longest, try await length())
                    if try await length() > 1_500 {
                        taken += try await fixture.redis.send("LPOP", queue, 100_000).array?.compactMap(\.data) ?? []
                    }
                },
                describe: { last, child in "\(last) rows taken, then nothing:\n\(child.output)" })
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(longest <= 2_500, "the queue held \(longest) rows against a mark of 1,500")
            taken += try await fixture.queued(run, stage: .scenarioExtract)
            let ids = try taken.map { try TaskEnvelope.decode($0).item.id }
            #expect(ids.count == rows && Set(ids) == Set((1...rows).map(String.init)))
        }

        @Test func repeatedRowsAreReportedAndSkippedAcrossEnqueues() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let file = fixture.file("repeats.jsonl")
            let rows = try SeedRows.lines(4)
            let sameChatOtherSystem = try JSONCoding.encodeString([
                "system": "another system prompt", "chat": Self.chat(of: rows[1]),
            ])
            try ([rows[0], rows[1], rows[0], rows[2], sameChatOtherSystem, rows[3]].joined(separator: "\n") + "\n")
                .write(to: file, atomically: true, encoding: .utf8)
            // A repeat is skipped and counted, but is not a bad row: only --strict makes it an error.
            let first = try await fixture.fcsynth(["enqueue", file.path, "--run", run])
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("4 rows enqueued, 2 repeats skipped"), "\(first.output)")
            #expect(
                first.rejections(of: file.path) == [
                    "\(file.path):line 3: repeats line 1 (the same \"chat\"); skipped",
                    "\(file.path):line 5: repeats line 2 (the same \"chat\"); skipped",
                ], "\(first.output)")

            // Resuming after more rows were appended, the run still knows what it took.
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(
                contentsOf: Data(
                    ([rows[3], try SeedRows.lines(1, startingAt: 10)[0]].joined(separator: "\n") + "\n").utf8))
            try handle.close()
            let second = try await fixture.fcsynth(["enqueue", file.path, "--run", run])
            #expect(
                second.rejections(of: file.path) == [
                    "\(file.path):line 7: repeats line 6 (the same \"chat\"); skipped"
                ], "\(second.output)")

            // Another file is refused: its line numbers would collide with this one's.
            let other = fixture.file("other.jsonl")
            try (try SeedRows.lines(1, startingAt: 20)[0] + "\n").write(to: other, atomically: true, encoding: .utf8)
            let refused = try await fixture.fcsynth(["enqueue", other.path, "--run", run])
            #expect(
                refused.status != 0 && refused.output.contains("was enqueued from \(file.path)"), "\(refused.output)")
            await #expect(throws: PipelineError.otherInput(run: run, enqueued: file.path, input: other.path)) {
                // The run's settings, as the fixture's enqueues make them.
                var settings = RunSettings()
                settings.nearDuplicates = nil
                _ = try await fixture.store(run).prepare(settings: settings, input: other.path)
            }

            let status = try await fixture.store(run).status()
            #expect(
                status.rowsEnqueued == 5 && status.rowsRejected == 0 && status.rowsDuplicate == 3 && status.items == 5)

            let strict = try await fixture.fcsynth(
                ["enqueue", file.path, "--run", TestEnvironment.uniqueName("strict"), "--strict"])
            #expect(strict.status == 2 && strict.output.contains("3 repeats skipped"), "\(strict.output)")
        }

        private static func chat(of line: String) throws -> String {
            try JSONCoding.decode([String: JSONValue].self, from: line)["chat"]?.stringValue ?? ""
        }

        /// SIGKILL at any moment leaves Redis with whole batches and a cursor after them.
        @Test(arguments: [false, true])
        func aKilledEnqueueResumesWithoutDuplicates(compressed: Bool) async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            let rows = 150_000
            let bad = Set(stride(from: 7_777, through: rows, by: 10_000))
            var text = ""
            text.reserveCapacity(rows * 64)
            for line in 1...rows {
                text +=
                    bad.contains(line)
                    ? "{\"chat\": 7}\n" : "{\"chat\": \"USER: row \(line), find me a flight to Oslo\"}\n"
            }
            var file = fixture.file("big.jsonl")
            try text.write(to: file, atomically: true, encoding: .utf8)
            if compressed {
                let gzip = try fixture.spawn(
                    URL(fileURLWithPath: "/bin/gzip"), ["-1", file.path], environment: fixture.environment, name: "gzip"
                )
                #expect(try await PipelineFixture.waitForExit(gzip, timeout: 30) && gzip.terminationStatus == 0)
                file = fixture.file("big.jsonl.gz")
            }

            let first = try fixture.start(["enqueue", file.path, "--run", run])
            let meta = fixture.keys(run).meta
            func cursor() async throws -> Int {
                Int(try await fixture.redis.send("HGET", meta, "cursor_rows").string ?? "0") ?? 0
            }
            #expect(
                try await PipelineFixture.eventually(timeout: 120, interval: .milliseconds(5)) {
                    try await cursor() > 0
                })
            first.signal(SIGKILL)
            #expect(try await PipelineFixture.waitForExit(first, timeout: 30))
            // A batch the killed process had already sent may still run after it died: the cut
            // is where the cursor rests, once Redis has read everything it was sent.
            var cut = try await cursor()
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(200))
                let now = try await cursor()
                if now == cut { break }
                cut = now
            }
            #expect(cut > 0 && cut < rows, "the enqueue was not interrupted mid-way: cursor at row \(cut) of \(rows)")

            // However long the rest takes on a busy machine: it fails only if the cursor stops.
            let second = try await fixture.fcsynth(["enqueue", file.path, "--run", run], whileProgressing: cursor)
            #expect(second.output.contains("(resumed after row \(cut))"), "\(second.output)")
            let laterBad = bad.filter { $0 > cut }.sorted()
            #expect(second.status == (laterBad.isEmpty ? 0 : 2))
            #expect(
                second.rejections(of: file.path)
                    == laterBad.map { "\(file.path):line \($0): \"chat\" must be a string, not a number" })

            let status = try await fixture.store(run).status()
            #expect(status.rowsEnqueued == rows - bad.count && status.rowsRejected == bad.count)
            let ids = try await Self.queuedItemIDs(fixture, run)
            #expect(ids.count == rows - bad.count && Set(ids).count == ids.count)
            #expect(Set(ids) == Set((1...rows).filter { !bad.contains($0) }.map(String.init)))
            try await fixture.store(run).purge()
        }

        @Test func eachBadLineGetsOneMessageAndGoodLinesAreAllTaken() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            var goodRows = 0
            var good: String {
                goodRows += 1
                return #"{"chat": "USER: Find me a table for \#(goodRows + 1) in Lisbon tonight."}"#
            }
            var lines: [[UInt8]] = []
            var expected: [Int: String] = [:]
            func add(_ text: String, rejectedBecause reason: String? = nil) {
                add(Array(text.utf8), rejectedBecause: reason)
            }
            func add(_ bytes: [UInt8], rejectedBecause reason: String? = nil) {
                lines.append(bytes)
                if let reason { expected[lines.count] = reason }
            }
            add([0xEF, 0xBB, 0xBF] + Array(good.utf8))
            add("not json at all", rejectedBecause: "not valid JSON")
            add("[1, 2]", rejectedBecause: "not a JSON object (found an array)")
            add(#""a string""#, rejectedBecause: "not a JSON object (found a string)")
            add("42", rejectedBecause: "not a JSON object (found a number)")
            add("null", rejectedBecause: "not a JSON object (found null)")
            add(good)
            add(#"{"system": "no chat here"}"#, rejectedBecause: #"no "chat" field"#)
            add(#"{"chat": 5}"#, rejectedBecause: #""chat" must be a string, not a number"#)
            add(#"{"chat": {"text": "hi"}}"#, rejectedBecause: #""chat" must be a string, not an object"#)
            add(#"{"chat": ""}"#, rejectedBecause: #""chat" is empty"#)
            add(good + "\r")
            add("")
            add(
                #"{"chat": "USER: "# + String(repeating: "a", count: 3_000) + #""}"#,
                rejectedBecause: "over the 2000-byte limit")
            add(
                Array(#"{"chat": "USER: caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
                rejectedBecause: "not valid UTF-8")
            add(good)
            add(#"{"chat": "USER: cut of"#, rejectedBecause: "not valid JSON")
            let file = fixture.file("mixed.jsonl")
            try Data(lines.joined(separator: [UInt8(ascii: "\n")])).write(to: file)

            let outcome = try await fixture.fcsynth(["enqueue", file.path, "--run", run, "--max-row-bytes", "2000"])
            #expect(outcome.status == 2)
            let messages = outcome.rejections(of: file.path)
            for (line, reason) in expected.sorted(by: { $0.key < $1.key }) {
                let prefix = "\(file.path):line \(line): "
                let found = messages.filter { $0.hasPrefix(prefix) }
                #expect(
                    found.count == 1 && found.first?.contains(reason) == true,
                    "line \(line): expected one message with \"\(reason)\", got \(found)")
            }
            #expect(messages.count == expected.count, "\(messages)")
            let status = try await fixture.store(run).status()
            #expect(status.rowsEnqueued == 4 && status.rowsRejected == expected.count)
            #expect(try await Self.queuedItemIDs(fixture, run) == ["1", "7", "12", "16"])
        }

        @Test func arrayAndGzipFilesAreRead() async throws {
            let fixture = try PipelineFixture()
            let array = fixture.file("rows.json")
            try #"[{"chat": "USER: one"},  {"chat": 3},"#.appending("\n" + #" {"chat": "USER: three"}]"#).write(
                to: array, atomically: true, encoding: .utf8)
            let arrayRun = TestEnvironment.uniqueName("array")
            let arrayOutcome = try await fixture.fcsynth(["enqueue", array.path, "--run", arrayRun])
            #expect(arrayOutcome.status == 2)
            #expect(
                arrayOutcome.rejections(of: array.path) == [
                    #"\#(array.path):line 1 (element 2): "chat" must be a string, not a number"#
                ])
            #expect(try await fixture.store(arrayRun).status().rowsEnqueued == 2)

            let plain = try SeedRows.write(25, to: fixture.file("rows.jsonl"))
            let gzip = try fixture.spawn(
                URL(fileURLWithPath: "/bin/gzip"), ["-k", plain.path], environment: fixture.environment, name: "gzip")
            #expect(try await PipelineFixture.waitForExit(gzip, timeout: 30) && gzip.terminationStatus == 0)
            let gzipRun = TestEnvironment.uniqueName("gzip")
            try await fixture.enqueue(fixture.file("rows.jsonl.gz"), run: gzipRun)
            #expect(try await fixture.store(gzipRun).status().rowsEnqueued == 25)
            #expect(try await Self.queuedItemIDs(fixture, gzipRun) == (1...25).map(String.init))
        }

        @Test func inputsWithoutRowsEndCleanly() async throws {
            let fixture = try PipelineFixture()
            let empty = fixture.file("empty.jsonl")
            try Data().write(to: empty)
            let emptyOutcome = try await fixture.fcsynth(
                ["enqueue", empty.path, "--run", TestEnvironment.uniqueName("empty")], timeout: 20)
            #expect(emptyOutcome.status == 0)
            #expect(emptyOutcome.output.contains("0 rows enqueued (no rows in \(empty.path))"))

            let unclosed = fixture.file("unclosed.json")
            try #"[{"chat": "USER: one"}, {"chat": "USER: two"}"#.write(to: unclosed, atomically: true, encoding: .utf8)
            let corrupt = fixture.file("corrupt.jsonl.gz")
            try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]).write(to: corrupt)
            let failures: [(String, String)] = [
                (fixture.directory.path, "is a directory"),
                (fixture.file("missing.jsonl").path, "No such file or directory"),
                (unclosed.path, "not closed"),
                (corrupt.path, "could not decompress"),
            ]
            for (path, reason) in failures {
                let outcome = try await fixture.fcsynth(
                    ["enqueue", path, "--run", TestEnvironment.uniqueName("bad")], timeout: 20)
                #expect(outcome.status == 1, "\(path): exit \(outcome.status): \(outcome.output)")
                #expect(outcome.output.contains(path) && outcome.output.contains(reason), "\(path): \(outcome.output)")
            }
        }

        /// The item ids of the first queue's tasks, in queue order, read off their tids
        /// (`ID|stage|step`) since decoding 150,000 envelopes would take longer than the test.
        static func queuedItemIDs(_ fixture: PipelineFixture, _ run: String) async throws -> [String] {
            let header = Data(#"{"tid":""#.utf8)
            return try await fixture.queued(run, stage: .scenarioExtract).map { entry in
                guard entry.starts(with: header),
                    let bar = entry[(entry.startIndex + header.count)...].firstIndex(of: UInt8(ascii: "|"))
                else {
                    throw FixtureFailure("not a task envelope: \(String(decoding: entry.prefix(80), as: UTF8.self))")
                }
                return String(decoding: entry[(entry.startIndex + header.count)..<bar], as: UTF8.self)
            }
        }
    }
}
