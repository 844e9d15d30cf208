import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// A run's exports as trainers read them: Hugging Face `datasets` loads each file, and
    /// LLaMA-Factory's own dataset_info parser, converters and chat templates turn each line into
    /// training text (scripts/test.d/check_exports.py, in the venv `scripts/test` makes), which is
    /// checked against the run's raw export.
    @Suite struct TrainerReaderTests {
        /// The venv's python; the test command sets it.
        private static func python() throws -> String {
            try #require(
                ProcessInfo.processInfo.environment["FCSYNTH_TEST_PYTHON"],
                "FCSYNTH_TEST_PYTHON is not set: run the tests through scripts/test, which makes the test venv")
        }

        private static let checker = TestEnvironment.repository.appendingPathComponent(
            "scripts/test.d/check_exports.py")

        private struct Check: Encodable {
            var dataset: String
            var template = "qwen"
            var toolListCopies: Int
            var thought: Bool
            var results: String

            enum CodingKeys: String, CodingKey {
                case dataset, template, thought, results
                case toolListCopies = "tool_list_copies"
            }
        }

        private struct Manifest: Encodable {
            var raw: String
            var datasetDir: String
            var loads: [String]
            var checks: [Check]

            enum CodingKeys: String, CodingKey {
                case raw, loads, checks
                case datasetDir = "dataset_dir"
            }
        }

        /// Runs the checker on a manifest; its exit status and its JSON report.
        private static func runChecker(
            _ manifest: Manifest, in fixture: PipelineFixture, name: String
        ) async throws -> (status: Int32, report: [String: JSONValue], output: String) {
            let file = fixture.file("\(name).json")
            try JSONCoding.encode(manifest).write(to: file)
            let child = try fixture.spawn(
                URL(fileURLWithPath: try python()), [checker.path, file.path], environment: fixture.environment,
                name: "check-exports")
            guard try await PipelineFixture.waitForExit(child, timeout: 300) else {
                child.signal(SIGKILL)
                throw FixtureFailure("check_exports.py still running after 300 s:\n\(child.output)")
            }
            let reportLine = child.output.split(separator: "\n").last { $0.hasPrefix("{\"failures\"") }
            let report = reportLine.flatMap { JSONParser.parse(String($0))?.objectValue } ?? [:]
            return (child.terminationStatus ?? -1, report, child.output)
        }

        private func export(
            _ fixture: PipelineFixture, run: String, _ name: String, _ arguments: [String]
        ) async throws -> URL {
            let file = fixture.file("data/\(name).jsonl")
            let outcome = try await fixture.fcsynth(["export", "--run", run, "-o", file.path] + arguments)
            #expect(outcome.status == 0, "export \(name): \(outcome.output)")
            return file
        }

        @Test func everyExportLoadsAndLLaMAFactoryRendersToolsOnceTheThoughtAndEachResult() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(40, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(try await fixture.stop(worker) == 0)
            #expect(status.output > 0)
            try FileManager.default.createDirectory(at: fixture.file("data"), withIntermediateDirectories: true)
            let info = fixture.file("data/dataset_info.json").path

            let raw = try await export(fixture, run: run, "raw", ["--format", "raw"])
            let openai = try await export(fixture, run: run, "openai", ["--format", "openai", "--dataset-info", info])
            let sharegpt = try await export(
                fixture, run: run, "sharegpt", ["--format", "sharegpt", "--dataset-info", info])
            let thought = try await export(
                fixture, run: run, "thought",
                [
                    "--format", "sharegpt", "--sharegpt-thought", "--sharegpt-results", "tool-response",
                    "--dataset-info", info,
                ])
            let old = try await export(
                fixture, run: run, "old", ["--format", "sharegpt", "--system-prompt-tools", "--dataset-info", info])

            // The run allowed parallel calls: no line says otherwise.
            let openaiLines = PipelineFixture.lines(of: openai)
            #expect(openaiLines.count == status.output)
            #expect(!openaiLines.contains { String(decoding: $0, as: UTF8.self).contains("parallel_tool_calls") })
            let meta = try JSONCoding.decode(
                JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: thought.path + ".meta.json")))
            #expect(meta["style"]?["sharegpt_thought"] == .bool(true), "\(meta)")
            #expect(meta["style"]?["sharegpt_results"] == .string("tool-response"), "\(meta)")

            let manifest = Manifest(
                raw: raw.path, datasetDir: fixture.file("data").path,
                loads: [raw, openai, sharegpt, thought, old].map(\.path),
                checks: [
                    Check(dataset: "openai", toolListCopies: 1, thought: false, results: "tool-response"),
                    Check(dataset: "sharegpt", toolListCopies: 1, thought: false, results: "list"),
                    Check(dataset: "thought", toolListCopies: 1, thought: true, results: "tool-response"),
                    Check(dataset: "old", toolListCopies: 2, thought: false, results: "list"),
                ])
            let checked = try await Self.runChecker(manifest, in: fixture, name: "manifest")
            #expect(checked.status == 0, "\(checked.output)")
            let facts = try #require(checked.report["facts"], "\(checked.output)")
            for name in ["raw", "openai", "sharegpt", "thought", "old"] {
                let path = fixture.file("data/\(name).jsonl").path
                #expect(facts["loaded"]?[path] == .number(Double(status.output)), "\(name): \(facts)")
            }
            // The checks had plans and parallel turns to look at.
            #expect((facts["thought"]?["thoughts"]?.numberValue ?? 0) > 0, "\(facts)")
            #expect((facts["thought"]?["parallel_turns"]?.numberValue ?? 0) > 0, "\(facts)")

            // The checker fails when the rendering is not what it expects: the old form read as
            // the new one, and the thought looked for where it was not kept.
            var wrong = manifest
            wrong.loads = []
            wrong.checks = [
                Check(dataset: "old", toolListCopies: 1, thought: false, results: "list"),
                Check(dataset: "sharegpt", toolListCopies: 1, thought: true, results: "tool-response"),
            ]
            let refused = try await Self.runChecker(wrong, in: fixture, name: "wrong")
            #expect(refused.status == 1, "\(refused.output)")
            let failures = refused.report["failures"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(failures.contains { $0.hasPrefix("old line") && $0.contains("listed 2 times") }, "\(failures)")
            #expect(
                failures.contains { $0.hasPrefix("sharegpt line") && $0.contains("the thought does not come before") },
                "\(failures)")
            #expect(
                failures.contains { $0.hasPrefix("sharegpt line") && $0.contains("<tool_response> blocks") },
                "\(failures)")
        }

        /// Two conversations whose tools give a parameter of the same name a `default` of another
        /// type: what a real model may write. ShareGPT holds schemas as text and loads; the OpenAI
        /// layout must hold them as objects, and datasets' Arrow inference refuses the mix, as
        /// docs/stages.md says.
        @Test func sharegptLoadsWhateverTheToolSchemasHold() async throws {
            let fixture = try PipelineFixture()
            func record(_ id: String, default value: JSONValue) -> ConversationRecord {
                let function = FunctionDefinition(
                    name: "list_items", description: "Lists items.",
                    parameters: .object([
                        "type": .string("object"),
                        "properties": .object(["limit": .object(["type": .string("integer"), "default": value])]),
                    ]),
                    responses: .object(["type": .string("object")]))
                return ConversationRecord(
                    id: id,
                    messages: [
                        OutputMessage(role: .user, content: "List my items."),
                        OutputMessage(
                            role: .assistant, content: nil,
                            toolCalls: [ToolCall(id: "c1", name: "list_items", arguments: "{}")]),
                        OutputMessage(role: .tool, content: "[]", toolCallId: "c1"),
                        OutputMessage(role: .assistant, content: "You have none."),
                    ],
                    tools: [ToolDefinition(function)], functions: [function],
                    lineage: Lineage(
                        run: "r", line: 1, itemId: id, scenario: "", atomTask: "", compositionMode: .sequential,
                        compositionTask: "", subTasks: []),
                    usage: TokenUsage())
            }
            let records = [record("a", default: .number(10)), record("b", default: .string("10"))]
            var files: [String: URL] = [:]
            for format in [ExportFormat.sharegpt, .openai] {
                let formatter = format.makeFormatter()
                let lines = try records.map { String(decoding: try formatter.line(for: $0), as: UTF8.self) }
                let file = fixture.file("conflict.\(format.rawValue).jsonl")
                try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
                files[format.rawValue] = file
            }
            let script = """
                import sys, datasets
                datasets.disable_progress_bars()
                for path in sys.argv[1:]:
                    try:
                        print("loaded", datasets.load_dataset("json", data_files=path, split="train").num_rows, path)
                    except Exception as error:
                        print("refused", path, str(error.__cause__ or error).splitlines()[0])
                """
            let child = try fixture.spawn(
                URL(fileURLWithPath: try Self.python()),
                ["-c", script, try #require(files["sharegpt"]).path, try #require(files["openai"]).path],
                environment: fixture.environment, name: "load-conflict")
            #expect(try await PipelineFixture.waitForExit(child, timeout: 300))
            #expect(child.terminationStatus == 0, "\(child.output)")
            #expect(child.output.contains("loaded 2 \(try #require(files["sharegpt"]).path)"), "\(child.output)")
            #expect(
                child.output.contains("refused \(try #require(files["openai"]).path)")
                    && child.output.contains("changed from number to string"), "\(child.output)")
        }

        @Test func aRunWithoutParallelCallsSaysSoOnEveryOpenAILine() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(12, to: fixture.file("rows.jsonl")), run: run, ["--no-parallel-calls"])
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(try await fixture.stop(worker) == 0)
            let lines = try await fixture.export(run, format: .openai)
            #expect(lines.count == status.output && !lines.isEmpty)
            for line in lines {
                let root = try JSONCoding.decode(JSONValue.self, from: Data(line))
                #expect(root["parallel_tool_calls"] == .bool(false))
                #expect(OpenAILineCheck.problems(in: line).isEmpty)
            }
        }

        /// A followed export resumes only in the style it was written in. Another style is
        /// refused, file untouched: starting over would lose what the stream no longer holds, and
        /// resuming would mix two layouts in one file.
        @Test func aFollowedExportResumesOnlyInItsOwnStyle() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(10, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(try await fixture.stop(worker) == 0)
            let file = fixture.file("followed.jsonl")
            func follow(_ style: [String]) async throws -> CommandOutcome {
                try await fixture.fcsynth(
                    ["export", "--run", run, "-o", file.path, "--format", "sharegpt", "--follow"] + style)
            }
            let first = try await follow(["--sharegpt-thought"])
            #expect(first.status == 0 && !first.output.contains("(resumed)"), "\(first.output)")
            let written = try Data(contentsOf: file)
            #expect(PipelineFixture.lines(of: file).count == status.output)
            let again = try await follow(["--sharegpt-thought"])
            #expect(again.status == 0 && again.output.contains("(resumed)"), "\(again.output)")
            let other = try await follow(["--system-prompt-tools"])
            #expect(other.status == 1, "\(other.output)")
            #expect(
                other.output.contains(
                    "\(file.path) was written with --sharegpt-thought --sharegpt-results list and this export asks for "
                        + "--system-prompt-tools --sharegpt-results list"), "\(other.output)")
            #expect(try Data(contentsOf: file) == written)
        }

        @Test func datasetInfoIsRefusedWhereNoEntryCanNameTheData() async throws {
            let fixture = try PipelineFixture()
            let info = fixture.file("dataset_info.json").path
            let raw = try await fixture.fcsynth([
                "export", "--run", "r", "-o", fixture.file("x.jsonl").path, "--format", "raw", "--dataset-info", info,
            ])
            #expect(raw.status == 64 && raw.output.contains("raw lines have no LLaMA-Factory layout"), "\(raw.output)")
            let stdout = try await fixture.fcsynth([
                "export", "--run", "r", "-o", "-", "--format", "sharegpt", "--dataset-info", info,
            ])
            #expect(stdout.status == 64 && stdout.output.contains("give -o FILE"), "\(stdout.output)")
            let nameAlone = try await fixture.fcsynth([
                "export", "--run", "r", "-o", fixture.file("x.jsonl").path, "--dataset-name", "x",
            ])
            #expect(nameAlone.status == 64 && nameAlone.output.contains("--dataset-info"), "\(nameAlone.output)")
            #expect(!FileManager.default.fileExists(atPath: info))
        }
    }
}
