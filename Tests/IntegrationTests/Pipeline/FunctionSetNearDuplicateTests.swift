import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// Function sets near an earlier item's, across two workers: counted and named in lineage,
    /// never filtered, checked against the exact Jaccard similarity of the sets' shingles
    /// computed here from the exported records; and the task index's repeats say whether their
    /// scenarios are near too, checked against the scenarios' exact bigram Jaccard.
    @Suite struct FunctionSetNearDuplicateTests {
        /// The shingles as docs/stages.md defines them: each function's name, and each of its
        /// parameters as `NAME(PARAM: TYPE)`.
        static func shingles(_ functions: [FunctionDefinition]) -> Set<String> {
            var shingles = Set<String>()
            for function in functions {
                shingles.insert(function.name)
                for (name, schema) in function.parameters.objectValue?["properties"]?.objectValue ?? [:] {
                    shingles.insert("\(function.name)(\(name): \(schema.objectValue?["type"]?.stringValue ?? "any"))")
                }
            }
            return shingles
        }

        static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
            a.union(b).isEmpty ? 1 : Double(a.intersection(b).count) / Double(a.union(b).count)
        }

        @Test func nearFunctionSetsAreCountedAndNamedAcrossTwoWorkersNotFiltered() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("fsets")
            try await fixture.enqueue(
                try SeedRows.write(70, to: fixture.file("rows.jsonl")), run: run, ["--no-judge"],
                nearDuplicates: true)
            let workers = try (0..<2).map { _ in try fixture.startWorker(concurrency: 8) }
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            for worker in workers { try await fixture.stop(worker) }
            status.expectAccounted()

            let file = fixture.file("out.jsonl")
            let export = try await fixture.fcsynth(["export", "--run", run, "-o", file.path, "--format", "raw"])
            #expect(export.status == 0, "\(export.output)")
            var records: [String: ConversationRecord] = [:]
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let record = try JSONCoding.decode(ConversationRecord.self, from: Data(line.utf8))
                records[record.lineage.itemId] = record
            }
            let removed = try await fixture.store(run).removedItems()
            #expect(removed.dead.isEmpty, "dead: \(removed.dead.map(\.reason))")

            // The item's own functions: an irrelevance record withholds one, so it has no oracle set.
            var sets: [String: Set<String>] = [:]
            for (id, record) in records where record.lineage.withheldFunction == nil {
                let own = Set((record.lineage.subTaskFunctions ?? []).joined())
                sets[id] = Self.shingles(record.functions.filter { own.contains($0.name) })
            }
            for item in removed.filtered {
                guard let id = item.id, let subTasks = item.item?.subTasks, sets[id] == nil else { continue }
                let functions = subTasks.flatMap(\.functions)
                if !functions.isEmpty { sets[id] = Self.shingles(functions) }
            }
            let named = records.values.compactMap { record in
                record.lineage.functionsLike.map { (record.lineage.itemId, $0) }
            }
            let namedFiltered = removed.filtered.compactMap { item in
                item.item?.functionsLike.map { (item.id ?? "?", $0) }
            }
            #expect(status.nearDuplicateFunctions == named.count + namedFiltered.count)
            #expect(!named.isEmpty, "no kept record names an item with a near function set")
            var compared = 0
            for (id, original) in named + namedFiltered {
                #expect(id != original)
                guard let set = sets[id], let originalSet = sets[original] else { continue }
                compared += 1
                let exact = Self.jaccard(set, originalSet)
                #expect(exact >= 0.8 - 0.15, "\(id) named \(original) at exact \(exact)")
            }
            #expect(compared > 0, "no named pair had both sets to compare")
            // Items no set was near: no two of them share a set the estimate could not have missed.
            let unnamed = records.keys.filter { records[$0]?.lineage.functionsLike == nil }.compactMap { id in
                sets[id].map { (id, $0) }
            }
            for (index, first) in unnamed.enumerated() {
                for second in unnamed[(index + 1)...] {
                    #expect(
                        Self.jaccard(first.1, second.1) < 0.95, "\(first.0) and \(second.0) have the same set, unnamed")
                }
            }
            // Not filtered: no filter reason speaks of functions' similarity.
            #expect(!removed.filtered.contains { $0.reason.contains("function set") })

            // The task index's repeats: whether their scenarios are near, by the exact measure.
            var scenarios: [String: String] = records.mapValues(\.lineage.scenario)
            for item in removed.filtered where item.duplicateOf == nil {
                if let id = item.id, let scenario = item.item?.scenario { scenarios[id] = scenario }
            }
            var judged = 0
            for repeat_ in removed.filtered where repeat_.duplicateOf != nil {
                guard let near = repeat_.scenarioNear, let scenario = repeat_.item?.scenario,
                    let originalScenario = scenarios[repeat_.duplicateOf ?? ""]
                else { continue }
                judged += 1
                let exact = NearDuplicateTests.jaccard(scenario, originalScenario)
                if near {
                    #expect(exact >= 0.8 - 0.15, "\(repeat_.reason)")
                } else {
                    #expect(exact < 0.8 + 0.15, "\(repeat_.reason)")
                }
                #expect(repeat_.reason.contains("(scenarios' "), "\(repeat_.reason)")
            }
            #expect(judged > 0, "no task repeat said whether its scenario is near")
            #expect(status.nearDuplicates > 0)
        }
    }
}
