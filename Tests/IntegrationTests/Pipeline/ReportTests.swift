import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

extension PipelineIntegrationTests {
    /// `fcsynth report` and export's `FILE.meta.json` against figures computed here from the
    /// exported raw JSONL and the run's lists, and the HTML page in headless Chromium.
    @Suite struct ReportTests {
        /// The figures the test derives on its own from raw records.
        struct Oracle {
            var calls: [Int: Int] = [:]
            var rounds: [Int: Int] = [:]
            var toolTurns = 0
            var parallelTurns = 0
            var variants: [String: Int] = [:]
            var scenarios = Set<String>()
            var functionNames = Set<String>()
            var functionCalls: [String: Int] = [:]
            var judge: [String: [Int: Int]] = [:]
            var violations: [String: Int] = [:]
            var unigrams = Set<String>()
            var bigrams = Set<String>()
            var bigramTotal = 0
            /// Item id → the items whose lineage says their function set is near its own.
            var functionsLike: [String: [String]] = [:]

            init(raw lines: [Substring]) throws {
                for line in lines {
                    let object = try #require(try JSONCoding.decode(JSONValue.self, from: Data(line.utf8)).objectValue)
                    let lineage = try #require(object["lineage"]?.objectValue)
                    scenarios.insert(lineage["scenario"]?.stringValue ?? "")
                    if let original = lineage["functions_like"]?.stringValue {
                        functionsLike[original, default: []].append(lineage["item_id"]?.stringValue ?? "")
                    }
                    variants[lineage["variant"]?.stringValue ?? "standard", default: 0] += 1
                    for function in object["functions"]?.arrayValue ?? [] {
                        functionNames.insert(function.objectValue?["name"]?.stringValue ?? "")
                    }
                    for (criterion, score) in lineage["judge"]?.objectValue?["scores"]?.objectValue ?? [:] {
                        let value = Int(score.objectValue?["score"]?.numberValue ?? 0)
                        judge[criterion, default: [:]][value, default: 0] += 1
                    }
                    for (check, result) in lineage["checks"]?.objectValue ?? [:] {
                        let outcome = result.objectValue?["outcome"]?.stringValue
                        if outcome == "fail" || outcome == "measured_fail" { violations[check, default: 0] += 1 }
                    }
                    var callCount = 0
                    var turns = 0
                    for message in object["messages"]?.arrayValue ?? [] {
                        let fields = message.objectValue ?? [:]
                        switch fields["role"]?.stringValue {
                        case "assistant":
                            turns += 1
                            let turnCalls = fields["tool_calls"]?.arrayValue ?? []
                            callCount += turnCalls.count
                            if !turnCalls.isEmpty { toolTurns += 1 }
                            if turnCalls.count >= 2 { parallelTurns += 1 }
                            for call in turnCalls {
                                let name = call.objectValue?["function"]?.objectValue?["name"]?.stringValue ?? ""
                                functionCalls[name, default: 0] += 1
                            }
                        case "user":
                            let words = TextWords.words(fields["content"]?.stringValue ?? "")
                            unigrams.formUnion(words)
                            if words.count >= 2 {
                                for index in 1..<words.count { bigrams.insert(words[index - 1] + " " + words[index]) }
                                bigramTotal += words.count - 1
                            }
                        default: break
                        }
                    }
                    calls[callCount, default: 0] += 1
                    rounds[turns, default: 0] += 1
                }
            }
        }

        static func histogram(_ bars: [RankedCount]) -> [Int: Int] {
            bars.reduce(into: [:]) { result, bar in if bar.count > 0 { result[Int(bar.name) ?? -1] = bar.count } }
        }

        static func counts(_ bars: [RankedCount]) -> [String: Int] {
            bars.reduce(into: [:]) { $0[$1.name] = $1.count }
        }

        static func chromium(_ page: URL, profile: URL) throws -> SystemTool.Output {
            let timeout = try #require(SystemTool(named: "timeout"), "coreutils' timeout is not on PATH")
            #expect(SystemTool(named: "chromium") != nil, "chromium is not installed (scripts/test installs it)")
            return try timeout.run([
                "180", "chromium", "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0", "--dump-dom",
                page.absoluteString,
            ])
        }

        /// `data-chart` name → the `data-count` of each of its marks, from the DOM Chromium built.
        static func charts(inDOM dom: String) -> [String: [Int]] {
            var charts: [String: [Int]] = [:]
            for part in dom.split(separator: "<svg ").dropFirst() {
                guard let name = part.firstMatch(of: /data-chart="([^"]+)"/)?.1 else { continue }
                let body = part.split(separator: "</svg>", maxSplits: 1).first ?? part
                charts[String(name)] = body.matches(of: /<rect class="mark" data-count="(\d+)"/).compactMap {
                    Int($0.1)
                }
            }
            return charts
        }

        @Test func theReportMatchesTheRecordsAndItsPageRendersInChromium() async throws {
            let fixture = try PipelineFixture()
            let run = TestEnvironment.uniqueName("run")
            try await fixture.enqueue(
                try SeedRows.write(30, to: fixture.file("rows.jsonl")), run: run, nearDuplicates: true)
            let worker = try fixture.startWorker(concurrency: 16)
            let status = try await fixture.waitUntilComplete(run, timeout: 120)
            try await fixture.stop(worker)
            status.expectAccounted()
            // A reason made to look like markup, which the page must show as text.
            let hostile = RemovedItem(
                id: "x1", line: 1, stage: "judge", reason: "<img src=x onerror=alert(1)> & \"quotes\"", attempts: nil,
                item: nil, task: nil)
            try await fixture.redis.send("RPUSH", fixture.keys(run).filtered, try JSONCoding.encode(hostile))

            let rawFile = fixture.file("out.jsonl")
            let export = try await fixture.fcsynth([
                "export", "--run", run, "-o", rawFile.path, "--format", "raw", "--price-prompt-per-million", "2",
                "--price-completion-per-million", "8",
            ])
            #expect(export.status == 0, "\(export.output)")
            let lines = try String(contentsOf: rawFile, encoding: .utf8).split(separator: "\n")
            let oracle = try Oracle(raw: lines)
            #expect(!lines.isEmpty)

            let page = fixture.file("report.html")
            let prices = ["--price-prompt-per-million", "2", "--price-completion-per-million", "8"]
            let command = try await fixture.fcsynth(["report", "--run", run, "--json"] + prices)
            #expect(command.status == 0, "\(command.output)")
            let report = try JSONCoding.decode(DatasetReport.self, from: Data(command.output.utf8))
            let table = try await fixture.fcsynth(["report", "--run", run, "--html", page.path] + prices)
            #expect(table.status == 0, "\(table.output)")
            #expect(table.output.contains("dataset report: run \(run), \(lines.count) conversations read"))
            #expect(table.output.contains("near-duplicate clusters: \(report.nearDuplicateClusterCount)"))
            #expect(table.output.contains("function-set clusters (kept): \(report.functionSetClusterCount)"))
            let meta = try JSONCoding.decode(
                JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: rawFile.path + ".meta.json")))
            let metaReport = try JSONCoding.decode(
                DatasetReport.self, from: try JSONCoding.encode(try #require(meta.objectValue?["report"])))
            #expect(metaReport == report, "FILE.meta.json's report differs from fcsynth report's")

            #expect(report.conversations == lines.count)
            #expect(
                Self.counts(report.outcomes) == [
                    "output": status.output, "filtered": status.filtered, "dead": status.dead,
                ])
            let removed = try await fixture.store(run).removedItems()
            #expect(report.filterReasons.reduce(0) { $0 + $1.count } == removed.filtered.count)
            #expect(report.deadReasons.reduce(0) { $0 + $1.count } == removed.dead.count)
            #expect(zip(report.filterReasons, report.filterReasons.dropFirst()).allSatisfy { $0.count >= $1.count })
            #expect(Self.histogram(report.callsPerConversation) == oracle.calls)
            #expect(Self.histogram(report.rounds) == oracle.rounds)
            #expect(report.toolTurns == oracle.toolTurns && report.parallelTurns == oracle.parallelTurns)
            #expect(Self.counts(report.variants) == oracle.variants)
            #expect(report.distinctScenarios == oracle.scenarios.count)
            #expect(report.distinctFunctionNames == oracle.functionNames.count)
            let topCalls = oracle.functionCalls.values.sorted(by: >).prefix(15)
            #expect(report.topFunctionNames.map(\.count) == Array(topCalls))
            for bar in report.topFunctionNames { #expect(oracle.functionCalls[bar.name] == bar.count) }
            #expect(report.judgeScores.mapValues(Self.histogram) == oracle.judge)
            #expect(Self.counts(report.ruleViolations) == oracle.violations)
            #expect(report.userNgrams.first { $0.n == 1 }?.distinct == oracle.unigrams.count)
            #expect(report.userNgrams.first { $0.n == 2 }?.distinct == oracle.bigrams.count)
            #expect(report.userNgrams.first { $0.n == 2 }?.total == oracle.bigramTotal)
            #expect(report.nearDuplicateClusters.reduce(0) { $0 + $1.repeats.count } <= status.nearDuplicates)
            if status.nearDuplicates > 0 { #expect(!report.nearDuplicateClusters.isEmpty) }
            // Per task cluster, the repeats whose scenario is near the kept item's, as the filtered list says.
            for cluster in report.nearDuplicateClusters {
                let near = removed.filtered.filter { $0.duplicateOf == cluster.original && $0.scenarioNear == true }
                #expect(cluster.scenariosNear == near.count, "\(cluster.original)")
            }
            // Function-set clusters: the records' lineage and the filtered items' `functions_like`.
            var functionClusters = oracle.functionsLike
            for item in removed.filtered {
                if let original = item.item?.functionsLike {
                    functionClusters[original, default: []].append(item.id ?? "?")
                }
            }
            #expect(!oracle.functionsLike.isEmpty, "no record names an item with a near function set")
            #expect(report.functionSetClusterCount == functionClusters.count)
            #expect(
                report.functionSetClusters.reduce(0) { $0 + $1.repeats.count }
                    <= functionClusters.values.reduce(0) { $0 + $1.count })
            #expect(functionClusters.values.reduce(0) { $0 + $1.count } == status.nearDuplicateFunctions)
            let largestSets = functionClusters.values.map(\.count).sorted(by: >).prefix(15)
            #expect(report.functionSetClusters.map(\.repeats.count) == Array(largestSets))
            for cluster in report.functionSetClusters {
                #expect(cluster.repeats == functionClusters[cluster.original]?.sorted(), "\(cluster.original)")
                #expect(table.output.contains("  \(cluster.original): \(cluster.repeats.count) near sets"))
            }
            for stage in report.costPerConversation {
                let counted = try #require(status.stages[stage.stage])
                #expect(abs(stage.promptTokens - Double(counted.promptTokens) / Double(status.output)) < 1e-6)
                let cost = (stage.promptTokens * 2 + stage.completionTokens * 8) / 1e6
                #expect(abs((stage.cost ?? -1) - cost) < 1e-9)
            }

            // The page, rendered: no console message at all (its policy blocks any script or
            // fetch, and says so there), and each chart drawn with the report's bars.
            let profile = fixture.file("chromium-profile")
            let rendered = try Self.chromium(page, profile: profile)
            #expect(rendered.status == 0, "\(rendered.standardError.suffix(2000))")
            let consoleLines = rendered.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }
            #expect(consoleLines.isEmpty, "console: \(consoleLines)")
            let charts = Self.charts(inDOM: rendered.standardOutput)
            #expect(!charts.isEmpty, "no chart in the DOM: \(rendered.standardOutput.prefix(500))")
            for (name, marks) in charts {
                #expect(!marks.isEmpty && marks.reduce(0, +) > 0, "chart \(name) is empty")
            }
            #expect(charts["outcomes"] == report.outcomes.map(\.count))
            #expect(
                charts["calls"].map { $0.filter { $0 > 0 } }
                    == report.callsPerConversation.map(\.count).filter { $0 > 0 })
            #expect(charts["rounds"]?.reduce(0, +) == lines.count)
            #expect(charts["variants"] == report.variants.map(\.count))
            #expect(charts["functions"] == report.topFunctionNames.map(\.count))
            #expect(charts["filter_reasons"]?.reduce(0, +) == removed.filtered.count)
            #expect(charts["function_sets"] == report.functionSetClusters.map(\.repeats.count))
            #expect(
                rendered.standardOutput.contains("Function-set clusters (\(report.functionSetClusterCount), all kept)"))
            for criterion in oracle.judge.keys { #expect(charts["judge_\(criterion)"]?.reduce(0, +) == lines.count) }
            if oracle.toolTurns > 0 {
                #expect(charts["parallel"] == [oracle.parallelTurns, oracle.toolTurns - oracle.parallelTurns])
            }
            #expect(!rendered.standardOutput.contains("<img"), "the hostile reason became markup")
            // Reasons rank with their words that hold digits as #, so the text shown is the key.
            #expect(rendered.standardOutput.contains("judge: &lt;img src=x # &amp; \"quotes\""))

            // The console check can fail: the same page with a script and a remote image added.
            let tampered = fixture.file("tampered.html")
            let html = try String(contentsOf: page, encoding: .utf8)
            try html.replacingOccurrences(
                of: "</body>", with: "<script>console.error('x')</script><img src=\"http://127.0.0.1:9/x.png\"></body>"
            ).write(to: tampered, atomically: true, encoding: .utf8)
            let control = try Self.chromium(tampered, profile: fixture.file("chromium-profile-2"))
            #expect(control.standardError.contains(":CONSOLE"), "a blocked script and fetch left no console message")
        }
    }
}
