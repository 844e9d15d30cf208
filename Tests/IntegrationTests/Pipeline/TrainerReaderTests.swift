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

        /// Conversations whose functions disagree across lines, as a real model's may: the same
        /// parameter name with a `default` of another type, an `enum` of strings and one of
        /// numbers, `type` as a name and as a list, `items` as a schema and as a list. Added to a
        /// run's output stream, they are exported in every format by `fcsynth export`, and each
        /// file loads with `datasets`: Arrow, behind it, refuses a path that is a number on one
        /// line and a string on another, which the OpenAI and raw layouts, writing schemas as
        /// objects, would otherwise give it (`SchemaLayoutTracker`).
        @Test func everyFormatLoadsThoughTheToolSchemasDisagreeAcrossLines() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(try SeedRows.write(6, to: fixture.file("rows.jsonl")), run: run)
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(try await fixture.stop(worker) == 0)

            func record(_ id: String, _ properties: [String: JSONValue]) -> ConversationRecord {
                let function = FunctionDefinition(
                    name: "list_items", description: "Lists items.",
                    parameters: .object(["type": .string("object"), "properties": .object(properties)]),
                    responses: .object([
                        "type": .string("object"), "properties": .object(["count": properties["limit"] ?? .null]),
                    ]))
                return ConversationRecord(
                    id: id,
                    messages: [
                        OutputMessage(role: .user, content: "List my items."),
                        OutputMessage(
                            role: .assistant, content: nil,
                            toolCalls: [ToolCall(id: "c1", name: "list_items", arguments: "{}")]),
                        OutputMessage(role: .tool, content: #"{"count": 0}"#, toolCallId: "c1"),
                        OutputMessage(role: .assistant, content: "You have none."),
                    ],
                    tools: [ToolDefinition(function)], functions: [function],
                    lineage: Lineage(
                        run: run, line: 1, itemId: id, scenario: "", atomTask: "", compositionMode: .sequential,
                        compositionTask: "", subTasks: []),
                    usage: TokenUsage())
            }
            let clashes = [
                record(
                    "clash-a",
                    [
                        "limit": .object(["type": .string("integer"), "default": .number(10)]),
                        "unit": .object(["type": .string("string"), "enum": .array([.string("c"), .string("f")])]),
                        "when": .object(["type": .string("string")]),
                        "tags": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                    ]),
                record(
                    "clash-b",
                    [
                        "limit": .object(["type": .string("string"), "default": .string("10")]),
                        "unit": .object(["type": .string("integer"), "enum": .array([.number(1), .number(2)])]),
                        "when": .object(["type": .array([.string("string"), .string("null")])]),
                        "tags": .object([
                            "type": .string("array"), "items": .array([.object(["type": .string("string")])]),
                        ]),
                    ]),
                record(
                    "clash-c",
                    [
                        "limit": .object(["type": .string("boolean"), "default": .bool(true)]),
                        "when": .object(["type": .string("integer"), "default": .object(["days": .number(1)])]),
                    ]),
            ]
            let keys = fixture.keys(run)
            for clash in clashes {
                let json = String(decoding: try JSONCoding.encode(clash), as: UTF8.self)
                _ = try await fixture.redis.send("XADD", keys.output, "*", "id", clash.id, "record", json)
            }
            let expected = status.output + clashes.count

            try FileManager.default.createDirectory(at: fixture.file("data"), withIntermediateDirectories: true)
            var files: [ExportFormat: URL] = [:]
            for format in ExportFormat.allCases {
                files[format] = try await export(fixture, run: run, format.rawValue, ["--format", format.rawValue])
            }
            let raw = try #require(files[.raw])
            let manifest = Manifest(
                raw: raw.path, datasetDir: fixture.file("data").path,
                loads: ExportFormat.allCases.compactMap { files[$0]?.path }, checks: [])
            let checked = try await Self.runChecker(manifest, in: fixture, name: "clashes")
            #expect(checked.status == 0, "\(checked.output)")
            for format in ExportFormat.allCases {
                let path = try #require(files[format]).path
                #expect(
                    checked.report["facts"]?["loaded"]?[path] == .number(Double(expected)),
                    "\(format): \(checked.output)")
            }

            // What was rewritten is counted in the metadata, and only where a value clashed.
            for format in [ExportFormat.openai, .raw] {
                let meta = try JSONCoding.decode(
                    JSONValue.self,
                    from: Data(contentsOf: URL(fileURLWithPath: try #require(files[format]).path + ".meta.json")))
                let rewrites = try #require(meta["schema_rewrites"]?.objectValue, "\(format): \(meta)")
                for kind in ["default_in_description", "enum_in_description", "type_as_any_of", "items_in_description"]
                {
                    #expect((rewrites[kind]?.numberValue ?? 0) >= 1, "\(format) \(kind): \(rewrites)")
                }
            }
            let sharegptMeta = try JSONCoding.decode(
                JSONValue.self,
                from: Data(contentsOf: URL(fileURLWithPath: try #require(files[.sharegpt]).path + ".meta.json")))
            #expect(sharegptMeta["schema_rewrites"] == nil, "\(sharegptMeta)")

            // The rewritten schemas still say what the model wrote, in the schema's own words; the
            // first line to write a path keeps its value as it was.
            let openaiLines = try PipelineFixture.lines(of: try #require(files[.openai])).map {
                try JSONCoding.decode(JSONValue.self, from: Data($0))
            }
            func limit(_ line: JSONValue?) -> JSONValue? {
                line?["tools"]?.arrayValue?.first?["function"]?["parameters"]?["properties"]?["limit"]
            }
            let clashA = openaiLines.count - 3
            #expect(limit(openaiLines[clashA]) == .object(["type": .string("integer"), "default": .number(10)]))
            #expect(
                limit(openaiLines[clashA + 1])
                    == .object(["type": .string("string"), "description": .string(#"Default: "10"."#)]))
            // Raw lines still decode to the records, for fcsynth check and re-export.
            let records = try PipelineFixture.lines(of: raw).map {
                try JSONCoding.decode(ConversationRecord.self, from: Data($0))
            }
            #expect(records.suffix(3).map(\.id) == clashes.map(\.id))
            #expect(records.suffix(3).map(\.messages) == clashes.map(\.messages))
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
