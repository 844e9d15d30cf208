import FcsynthSystem
import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// Catalog mode end to end: `enqueue --tools` and workers on the simulator. The catalog's
    /// names come from the OpenAI file, read here with Foundation, whichever form was enqueued.
    @Suite struct CatalogModeTests {
        static let folder = TestEnvironment.repository.appendingPathComponent("example_data/catalog")

        static func catalogNames() throws -> Set<String> {
            let data = try Data(contentsOf: folder.appendingPathComponent("travel_tools.json"))
            let tools = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            return Set(tools.compactMap { ($0["function"] as? [String: Any])?["name"] as? String })
        }

        static func called(_ record: ConversationRecord) -> Set<String> {
            Set(record.messages.flatMap { $0.toolCalls ?? [] }.map(\.function.name))
        }

        @Test func anOpenAPICatalogWithoutSeedsGivesConversationsOverEveryOperation() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("catalog")
            let outcome = try await fixture.fcsynth([
                "enqueue", "--run", run, "--tools", Self.folder.appendingPathComponent("travel_openapi.yaml").path,
                "--items", "60", "--distractors", "3",
            ])
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(outcome.output.contains("30 functions"))
            let worker = try fixture.startWorker(concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            #expect(status.rowsEnqueued == 60 && status.dead == 0)

            let names = try Self.catalogNames()
            let records = try await fixture.expectValidStream(run)
            #expect(records.count == status.output && records.count > 30)
            var covered: Set<String> = []
            for record in records {
                let offered = Set(record.functions.map(\.name))
                #expect(offered.isSubset(of: names), "\(record.id) offers \(offered.subtracting(names))")
                #expect(Self.called(record).isSubset(of: offered))
                #expect(Set(record.lineage.distractors ?? []).isSubset(of: names))
                #expect(record.lineage.distractors?.count == 3)
                #expect(record.lineage.provenance?.catalog == "travel_openapi.yaml (OpenAPI 3.0.3)")
                #expect(record.lineage.provenance?.toolExecutor == nil)
                covered.formUnion(Self.called(record))
            }
            #expect(covered == names, "never called: \(names.subtracting(covered).sorted())")

            let report = try await fixture.fcsynth(["report", "--run", run, "--json"])
            let figures = try JSONCoding.decode(DatasetReport.self, from: Data(report.output.utf8))
            let coverage = try #require(figures.catalogCoverage)
            #expect(Set(coverage.functions.map(\.name)) == names)
            #expect(coverage.unused.isEmpty)
            #expect(coverage.functions.reduce(0) { $0 + $1.leads } == 60)
            for entry in coverage.functions {
                #expect(entry.kept == records.filter { Self.called($0).contains(entry.name) }.count, "\(entry.name)")
            }
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func seedChatsWithACatalogCallOnlyTheCatalogsFunctions() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("catalog")
            let seeds = TestEnvironment.repository.appendingPathComponent("example_data/seed_chats.jsonl")
            try await fixture.enqueue(
                seeds, run: run,
                [
                    "--tools", Self.folder.appendingPathComponent("travel_tools.json").path, "--tool-weight",
                    "book_flight=5",
                ])
            let worker = try fixture.startWorker(concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            let names = try Self.catalogNames()
            let records = try await fixture.expectValidStream(run)
            #expect(records.count > 0)
            #expect(records.allSatisfy { Set($0.functions.map(\.name)).isSubset(of: names) })
            // Weighted five to one: book_flight leads about five times as many items as any other.
            let leads = records.compactMap { $0.lineage.subTaskFunctions?.first?.first }
            let booked = leads.filter { $0 == "book_flight" }.count
            let others = Dictionary(leads.filter { $0 != "book_flight" }.map { ($0, 1) }, uniquingKeysWith: +)
            #expect(booked >= 3 * (others.values.max() ?? 0), "book_flight led \(booked), others \(others)")
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func aBadCatalogIsRefusedNamingTheEntryAndTheRestGoesThrough() async throws {
            let fixture = try PipelineFixture()
            let file = fixture.file("tools.json")
            try Data(
                #"""
                [{"type": "function", "function": {"name": "ping", "description": "Check a host.", "parameters": {"type": "object", "properties": {"host": {"type": "string"}}, "required": ["host"]}}},
                 {"type": "function", "function": {"description": "No name."}}]
                """#.utf8
            ).write(to: file)
            let run = TestEnvironment.uniqueName("catalog")
            let outcome = try await fixture.fcsynth(["enqueue", "--run", run, "--tools", file.path])
            #expect(outcome.status == 2, "\(outcome.output)")
            #expect(outcome.output.contains("$[1]: the function has no name"))
            #expect(outcome.output.contains("1 functions, 1 entries rejected"))
            #expect(try await fixture.store(run).status().rowsEnqueued == 1)

            try Data("openapi: 3.0.3\npaths:\n  /a: {get: [\n".utf8).write(to: fixture.file("api.yaml"))
            let broken = try await fixture.fcsynth([
                "enqueue", "--run", TestEnvironment.uniqueName("c"), "--tools", fixture.file("api.yaml").path,
            ])
            #expect(broken.status != 0)
            #expect(broken.output.contains("api.yaml: line 4"), "\(broken.output)")
        }

        @Test func toolCallsGoToTheExecutorAndItsAnswersAreTheResults() async throws {
            let fixture = try PipelineFixture()
            let catalog = Self.folder.appendingPathComponent("travel_tools.json")
            let portFile = fixture.file("executor.port")
            let log = fixture.file("executor.log")
            let script = TestEnvironment.repository.appendingPathComponent(
                "Tests/IntegrationTests/Pipeline/Fixtures/tool_executor.py")
            let executor = try fixture.spawn(
                URL(fileURLWithPath: "/usr/bin/python3"), [script.path, catalog.path, portFile.path, log.path],
                environment: ProcessInfo.processInfo.environment, name: "executor")
            defer { executor.signal(SIGKILL) }
            let listening = try await PipelineFixture.eventually(timeout: 30) {
                FileManager.default.fileExists(atPath: portFile.path)
            }
            #expect(listening, "the executor did not start: \(executor.output)")
            let port = try String(contentsOf: portFile, encoding: .utf8)
            let run = TestEnvironment.uniqueName("executed")
            let outcome = try await fixture.fcsynth([
                "enqueue", "--run", run, "--tools", catalog.path, "--items", "30",
                "--tool-executor", "http://127.0.0.1:\(port)/execute",
            ])
            #expect(outcome.status == 0, "\(outcome.output)")
            let worker = try fixture.startWorker(concurrency: 8)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            status.expectAccounted()
            let records = try await fixture.expectValidStream(run)
            #expect(records.count > 0)

            // Every tool message is the executor's answer to that very call, none written by the tool agent.
            struct Logged: Decodable {
                struct Call: Decodable, Hashable {
                    var name: String
                    var arguments: JSONValue
                }
                var call: Call
                var status: Int
                var answer: JSONValue
            }
            let answers = try PipelineFixture.lines(of: log).map { try JSONCoding.decode(Logged.self, from: Data($0)) }
            var errors = 0
            for record in records {
                #expect(record.lineage.provenance?.toolExecutor == "127.0.0.1:\(port)")
                let calls = Dictionary(
                    record.messages.flatMap { $0.toolCalls ?? [] }.map { ($0.id, $0.function) },
                    uniquingKeysWith: { first, _ in first })
                for message in record.messages where message.role == .tool {
                    let function = try #require(calls[message.toolCallId ?? ""])
                    let call = Logged.Call(
                        name: function.name, arguments: JSONParser.parse(function.arguments) ?? .null)
                    let content = JSONParser.parse(message.content ?? "")
                    let matching = answers.filter { $0.call == call }
                    #expect(!matching.isEmpty, "no executor call for \(call)")
                    if let answer = matching.last {
                        if answer.status == 200 {
                            #expect(content == answer.answer)
                        } else {
                            errors += 1
                            #expect(content?["error"]?["code"] == .string("not_found"))
                            #expect(content?["error"]?["message"] == .string("nothing matches those arguments"))
                            #expect(record.lineage.toolErrors?.contains(message.toolCallId ?? "") == true)
                        }
                    }
                }
            }
            #expect(errors > 0, "the executor's 404s reached no record")
            #expect(try await fixture.stop(worker) == 0)
        }

        @Test func anUnreachableExecutorRetriesAndNeverSimulates() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("executed")
            let closed = Ports.free()
            let outcome = try await fixture.fcsynth([
                "enqueue", "--run", run, "--tools", Self.folder.appendingPathComponent("travel_tools.json").path,
                "--items", "4", "--tool-executor", "http://127.0.0.1:\(closed)/x", "--max-attempts", "2",
            ])
            #expect(outcome.status == 0, "\(outcome.output)")
            let worker = try fixture.startWorker(concurrency: 4)
            let status = try await fixture.waitUntilComplete(run, timeout: 90)
            #expect(status.output == 0)
            #expect(status.dead + status.filtered == status.items)
            #expect(status.errors["tool_executor"] ?? 0 > 0)
            let dead = try await fixture.dead(run)
            #expect(dead.contains { $0["reason"]?.stringValue?.contains("did not answer") == true })
            #expect(try await fixture.stop(worker) == 0)
        }
    }
}
