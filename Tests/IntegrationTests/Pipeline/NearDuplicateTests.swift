import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// Near-duplicate composition tasks filtered across four workers, checked against the exact
    /// Jaccard similarity of the tasks' word bigrams, computed here from the exported records
    /// and the filtered list. The simulator writes the same composition task for seed chats that
    /// share a domain and draw the same scenario, so the example rows hold exact repeats; at 0.6
    /// the template sentences that differ in a slot or two come in as well.
    @Suite struct NearDuplicateTests {
        struct RunFigures {
            var status: RunStatus
            /// Item id → composition task, for every item that got past the index.
            var kept: [String: String]
            var outputs: [String: String]
            var duplicates: [RemovedItem]
        }

        static func jaccard(_ first: String, _ second: String) -> Double {
            let (a, b) = (TextWords.bigrams(first), TextWords.bigrams(second))
            return a.union(b).isEmpty ? 1 : Double(a.intersection(b).count) / Double(a.union(b).count)
        }

        static func figures(_ fixture: PipelineFixture, run: String) async throws -> RunFigures {
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            let file = fixture.file("\(run).jsonl")
            let export = try await fixture.fcsynth(["export", "--run", run, "-o", file.path, "--format", "raw"])
            #expect(export.status == 0, "\(export.output)")
            var outputs: [String: String] = [:]
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let record = try JSONCoding.decode(ConversationRecord.self, from: Data(line.utf8))
                outputs[record.lineage.itemId] = record.lineage.compositionTask
            }
            let removed = try await fixture.store(run).removedItems()
            var kept = outputs
            var duplicates: [RemovedItem] = []
            for item in removed.filtered {
                guard let task = item.item?.compositionTask, let id = item.id else { continue }
                if item.duplicateOf != nil { duplicates.append(item) } else { kept[id] = task }
            }
            #expect(removed.dead.isEmpty, "dead: \(removed.dead.map(\.reason))")
            return RunFigures(status: status, kept: kept, outputs: outputs, duplicates: duplicates)
        }

        /// Each repeat names an item that got past the index, whose task is near it by the exact
        /// measure (within the estimate's error); no two kept conversations are near-identical.
        static func expectSound(
            _ figures: RunFigures, threshold: Double, sourceLocation: SourceLocation = #_sourceLocation
        ) {
            figures.status.expectAccounted(sourceLocation: sourceLocation)
            #expect(
                figures.status.nearDuplicates == figures.duplicates.count, sourceLocation: sourceLocation)
            for duplicate in figures.duplicates {
                let original = duplicate.duplicateOf ?? ""
                #expect(duplicate.stage == "composition_filter", sourceLocation: sourceLocation)
                #expect(
                    duplicate.reason.hasPrefix("near-duplicate of item \(original):"), "\(duplicate.reason)",
                    sourceLocation: sourceLocation)
                guard let originalTask = figures.kept[original], let task = duplicate.item?.compositionTask else {
                    Issue.record(
                        "\(duplicate.id ?? "?") names \(original), which did not get past the index",
                        sourceLocation: sourceLocation)
                    continue
                }
                let exact = jaccard(task, originalTask)
                #expect(
                    exact >= threshold - 0.15, "\(exact): \(task) | \(originalTask)", sourceLocation: sourceLocation)
                if threshold >= 1 { #expect(exact == 1, "\(task) | \(originalTask)", sourceLocation: sourceLocation) }
            }
            let kept = figures.outputs.values.sorted()
            for (index, first) in kept.enumerated() {
                for second in kept[(index + 1)...] {
                    #expect(
                        jaccard(first, second) < max(threshold + 0.1, 0.95) || threshold + 0.1 > 1,
                        "two kept conversations are near-identical: \(first) | \(second)",
                        sourceLocation: sourceLocation)
                }
            }
        }

        @Test func nearDuplicatesAreFilteredAcrossFourWorkersNamingTheOriginal() async throws {
            let fixture = try PipelineFixture()
            let rows = try SeedRows.write(70, to: fixture.file("rows.jsonl"))
            let runs = (
                default: TestEnvironment.uniqueName("d08"), exact: TestEnvironment.uniqueName("d10"),
                loose: TestEnvironment.uniqueName("d06"), off: TestEnvironment.uniqueName("doff")
            )
            try await fixture.enqueue(rows, run: runs.default, ["--no-judge"], nearDuplicates: true)
            try await fixture.enqueue(rows, run: runs.exact, ["--no-judge", "--dedup-threshold", "1"])
            try await fixture.enqueue(rows, run: runs.loose, ["--no-judge", "--dedup-threshold", "0.6"])
            try await fixture.enqueue(rows, run: runs.off, ["--no-judge", "--no-dedup"])
            let workers = try (0..<4).map { _ in try fixture.startWorker(concurrency: 6) }
            let atDefault = try await Self.figures(fixture, run: runs.default)
            let exact = try await Self.figures(fixture, run: runs.exact)
            let loose = try await Self.figures(fixture, run: runs.loose)
            let off = try await Self.figures(fixture, run: runs.off)
            for worker in workers { try await fixture.stop(worker) }

            Self.expectSound(atDefault, threshold: 0.8)
            Self.expectSound(exact, threshold: 1)
            Self.expectSound(loose, threshold: 0.6)
            #expect(off.duplicates.isEmpty && off.status.nearDuplicates == 0)

            // The oracle's own count of exact repeats among the items that reached the filter.
            let reached = off.kept.values
            let repeats =
                reached.count - Set(reached.map { TextWords.bigrams($0).sorted().joined(separator: "|") }).count
            #expect(repeats > 0, "the rows hold no repeated composition task to filter")
            #expect(
                exact.duplicates.count == repeats, "1.0 filtered \(exact.duplicates.count) of \(repeats) exact repeats")
            #expect(atDefault.duplicates.count >= repeats)
            let inexact = loose.duplicates.filter { duplicate in
                Self.jaccard(duplicate.item?.compositionTask ?? "", loose.kept[duplicate.duplicateOf ?? ""] ?? "") < 1
            }
            #expect(!inexact.isEmpty, "0.6 filtered no repeat short of an exact one")
            // The items the filter let through, at each threshold, are fewer the looser it is.
            #expect(off.kept.count > atDefault.kept.count && atDefault.kept.count >= loose.kept.count)
        }

        /// The composition-task index, read before composition_filter, and the function-set
        /// index, at function_gen's hand-off: either unreadable, the task retries, then dies.
        @Test(arguments: [StageName.compositionFilter, .functionGen])
        func anUnreadableIndexRetriesThenDiesWithTheReason(at stage: StageName) async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(3, to: fixture.file("rows.jsonl")), run: run, ["--no-judge", "--max-attempts", "2"],
                nearDuplicates: true)
            let keys = fixture.keys(run)
            let bands = stage == .functionGen ? keys.nearDuplicateFunctionBands : keys.nearDuplicateBands
            try await fixture.redis.send("SET", bands, "not a hash")
            let worker = try fixture.startWorker(concurrency: 4)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            try await fixture.stop(worker)
            status.expectAccounted()
            let dead = try await fixture.store(run).removedItems().dead
            #expect(status.output == 0 && !dead.isEmpty, "\(dead.map(\.reason))")
            for entry in dead {
                #expect(entry.stage == stage.rawValue)
                #expect(
                    entry.reason.contains("near-duplicate index") && entry.reason.contains("WRONGTYPE"),
                    "\(entry.reason)")
            }
            #expect(status.errors["near_duplicate_index"] == dead.count * 2)
        }
    }
}
