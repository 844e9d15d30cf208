import FcsynthCore
import FcsynthPipeline
import Foundation
import TestSupport
import Testing

extension PipelineIntegrationTests {
    /// What an enqueue leaves behind when its file changed, broke, or came on standard input:
    /// a run that can be finished, resumed or deleted, never one mixing two files.
    @Suite struct EnqueueResumeTests {
        @Test(arguments: [false, true])
        func aResumeRefusesAFileThatChangedAndTakesItBackRestored(compressed: Bool) async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("changed")
            let rows = try SeedRows.lines(90)
            let original = Array(rows[0..<60])
            let path = fixture.file(compressed ? "rows.jsonl.gz" : "rows.jsonl")
            func write(_ lines: [String]) async throws {
                let text = Data((lines.joined(separator: "\n") + "\n").utf8)
                guard compressed else { return try text.write(to: path) }
                let plain = fixture.file("plain.jsonl")
                try text.write(to: plain)
                let gzip = try fixture.spawn(
                    URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c \"$0\" > \"$1\"", plain.path, path.path],
                    environment: fixture.environment, name: "gzip")
                #expect(try await PipelineFixture.waitForExit(gzip, timeout: 30) && gzip.terminationStatus == 0)
            }
            try await write(original)
            try await fixture.enqueue(path, run: run)

            let changes: [(String, [String], String)] = [
                ("prepended", [rows[70]] + original, compressed ? "rows up to row 60 differ" : "first"),
                ("replaced", Array(rows[20..<90]), compressed ? "rows up to row 60 differ" : "bytes differ"),
                ("truncated", Array(original[0..<40]), compressed ? "ends before row 60" : "shorter than the"),
            ]
            for (change, lines, detail) in changes {
                try await write(lines)
                let refused = try await fixture.fcsynth(["enqueue", path.path, "--run", run])
                #expect(refused.status == 1, "\(change): \(refused.output)")
                #expect(
                    refused.output.contains("is not the input run \"\(run)\" took its first 60 rows from")
                        && refused.output.contains(detail), "\(change): \(refused.output)")
                let status = try await fixture.store(run).status()
                #expect(status.state == "stopped" && status.enqueueError?.contains(detail) == true, "\(change)")
                #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...60).map(String.init))
            }

            // The file as it was, with rows appended: the resume takes only the new ones.
            try await write(original + Array(rows[60..<75]))
            let resumed = try await fixture.fcsynth(["enqueue", path.path, "--run", run])
            #expect(
                resumed.status == 0 && resumed.output.contains("15 rows enqueued (resumed after row 60)"),
                "\(resumed.output)")
            let status = try await fixture.store(run).status()
            #expect(status.state == "enqueued" && status.enqueueError == nil && status.rowsEnqueued == 75)
            #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...75).map(String.init))
        }

        @Test func aFileErrorKeepsTheRowsBeforeItAndTheRunCanBeResumedOrClosed() async throws {
            let fixture = try PipelineFixture()
            // A gzip archive cut short: the rows it still holds go in, the run says why it stopped.
            let whole = try SeedRows.write(400, to: fixture.file("whole.jsonl"))
            let archive = fixture.file("rows.jsonl.gz")
            let gzip = try fixture.spawn(
                URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c \"$0\" > \"$1\"", whole.path, archive.path],
                environment: fixture.environment, name: "gzip")
            #expect(try await PipelineFixture.waitForExit(gzip, timeout: 30) && gzip.terminationStatus == 0)
            let complete = try Data(contentsOf: archive)
            try complete.prefix(complete.count / 2).write(to: archive)

            let run = TestEnvironment.uniqueName("cut")
            let stopped = try await fixture.fcsynth(["enqueue", archive.path, "--run", run])
            #expect(stopped.status == 1, "\(stopped.output)")
            #expect(
                stopped.output.contains("could not decompress") && stopped.output.contains("close-input --run \(run)"),
                "\(stopped.output)")
            let partial = try await fixture.statusCommand(run)
            #expect(partial.state == "stopped" && partial.enqueueError?.contains("could not decompress") == true)
            #expect(partial.rowsEnqueued > 0 && partial.rowsEnqueued < 400, "\(partial)")
            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(table.output.contains("enqueue stopped:"), "\(table.output)")

            // The whole archive again: the enqueue resumes where the cut one stopped.
            try complete.write(to: archive)
            let resumed = try await fixture.fcsynth(["enqueue", archive.path, "--run", run])
            #expect(
                resumed.status == 0 && resumed.output.contains("(resumed after row \(partial.rowsEnqueued))"),
                "\(resumed.output)")
            #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...400).map(String.init))

            // A JSON array broken after its third element: the run can be closed with three rows.
            let array = fixture.file("broken.json")
            let elements = try SeedRows.lines(4)
            try ("[" + elements[0..<3].joined(separator: ",\n") + "\n" + elements[3] + "]")
                .write(to: array, atomically: true, encoding: .utf8)
            let arrayRun = TestEnvironment.uniqueName("array")
            let broken = try await fixture.fcsynth(["enqueue", array.path, "--run", arrayRun])
            #expect(broken.status == 1 && broken.output.contains("expected , or ] after element 3"), "\(broken.output)")
            #expect(try await fixture.store(arrayRun).status().state == "stopped")
            // A following export says once why the run does not complete.
            let export = try fixture.start(
                ["export", "--run", arrayRun, "-o", fixture.file("out.jsonl").path, "--follow"])
            #expect(
                try await PipelineFixture.eventually(timeout: 60, interval: .milliseconds(100)) {
                    export.output.contains("its enqueue stopped (\(array.path)")
                }, "\(export.output)")
            export.signal(SIGTERM)
            #expect(try await PipelineFixture.waitForExit(export, timeout: 60))
            #expect(export.output.components(separatedBy: "its enqueue stopped").count == 2, "\(export.output)")
            let closed = try await fixture.fcsynth(["close-input", "--run", arrayRun])
            #expect(
                closed.status == 0 && closed.output.contains("input closed with 3 rows enqueued"), "\(closed.output)")
            let after = try await fixture.store(arrayRun).status()
            #expect(after.state == "enqueued" && after.enqueueError == nil && after.rowsEnqueued == 3)
            let again = try await fixture.fcsynth(["close-input", "--run", arrayRun])
            #expect(again.status == 0 && again.output.contains("already complete"), "\(again.output)")
            let unknown = try await fixture.fcsynth(["close-input", "--run", TestEnvironment.uniqueName("none")])
            #expect(unknown.status == 1 && unknown.output.contains("no run named"), "\(unknown.output)")
        }

        @Test func aPathThatCannotBeReadBindsNothing() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("unbound")
            let gzipped = fixture.file("rows.jsonl.gz")
            try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03]).write(to: gzipped)
            for path in [fixture.file("missing.jsonl").path, fixture.directory.path] {
                let outcome = try await fixture.fcsynth(["enqueue", path, "--run", run])
                #expect(outcome.status == 1, "\(path): \(outcome.output)")
                #expect(try await fixture.redis.send("EXISTS", fixture.keys(run).meta).integer == 0, "\(path)")
            }
            // Gzip on standard input is refused with what to do; the run holds none of its rows.
            let piped = try await pipe(gzipped, into: ["enqueue", "-", "--run", run], fixture)
            #expect(piped.status == 1 && piped.output.contains("pipe it through gzip -dc"), "\(piped.output)")

            let good = try SeedRows.write(12, to: fixture.file("good.jsonl"))
            let taken = try await fixture.fcsynth(["enqueue", good.path, "--run", run])
            #expect(taken.status == 0 && taken.output.contains("12 rows enqueued"), "\(taken.output)")
            #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...12).map(String.init))
        }

        @Test func standardInputIsReadAndCheckedOnResume() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("stdin")
            let rows = try SeedRows.lines(40)
            let first = fixture.file("first.jsonl")
            try (rows[0..<30].joined(separator: "\n") + "\n").write(to: first, atomically: true, encoding: .utf8)
            let taken = try await pipe(first, into: ["enqueue", "-", "--run", run], fixture)
            #expect(taken.status == 0 && taken.output.contains("30 rows enqueued"), "\(taken.output)")

            let grown = fixture.file("grown.jsonl")
            try (rows.joined(separator: "\n") + "\n").write(to: grown, atomically: true, encoding: .utf8)
            let resumed = try await pipe(grown, into: ["enqueue", "-", "--run", run], fixture)
            #expect(
                resumed.status == 0 && resumed.output.contains("10 rows enqueued (resumed after row 30)"),
                "\(resumed.output)")

            let other = fixture.file("other.jsonl")
            try (rows.reversed().joined(separator: "\n") + "\n").write(to: other, atomically: true, encoding: .utf8)
            let refused = try await pipe(other, into: ["enqueue", "-", "--run", run], fixture)
            #expect(
                refused.status == 1 && refused.output.contains("differ from those the run read"), "\(refused.output)")
            #expect(try await EnqueueInputTests.queuedItemIDs(fixture, run) == (1...40).map(String.init))
        }

        /// Runs `fcsynth` with `file` on its standard input through a pipe, as `cat file |` does.
        private func pipe(
            _ file: URL, into arguments: [String], _ fixture: PipelineFixture
        ) async throws
            -> CommandOutcome
        {
            // As `PipelineFixture.start` runs enqueues.
            let command = (arguments + ["--namespace", fixture.namespace, "--no-dedup"]).map { "'\($0)'" }.joined(
                separator: " ")
            let child = try fixture.spawn(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "cat \"$0\" | \"$1\" \(command)", file.path, TestEnvironment.executable("fcsynth").path],
                environment: fixture.environment, name: "fcsynth-stdin")
            #expect(try await PipelineFixture.waitForExit(child, timeout: 60), "\(child.output)")
            return CommandOutcome(status: child.terminationStatus ?? -1, output: child.output)
        }
    }
}
