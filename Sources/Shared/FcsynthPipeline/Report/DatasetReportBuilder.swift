import FcsynthCore
import Foundation

/// Gathers a report's figures one record at a time, so that a run of any length is read in
/// pages; `report(...)` adds what the counters and removed lists say.
package struct DatasetReportBuilder: Sendable {
    private var conversations = 0
    private var judgeScores: [String: [Int: Int]] = [:]
    private var violations: [String: Int] = [:]
    private var calls: [Int: Int] = [:]
    private var rounds: [Int: Int] = [:]
    private var toolTurns = 0
    private var parallelTurns = 0
    private var variants: [String: Int] = [:]
    private var scenarios = Set<String>()
    private var functionNames = Set<String>()
    private var functionCalls: [String: Int] = [:]
    private var ngrams: [Set<String>] = [[], [], []]
    private var ngramTotals = [0, 0, 0]
    /// Composition tasks of the items seen, by item id, for naming clusters' originals.
    private var tasks: [String: String] = [:]
    /// Function names of the items seen, by item id, for naming function-set clusters' originals.
    private var functionSets: [String: [String]] = [:]
    /// Items whose function set is near an earlier item's, by that item's id.
    private var functionClusters: [String: [String]] = [:]
    /// Kept conversations calling each function, and those calling it alone.
    private(set) var keptCalling: [String: Int] = [:]
    private(set) var keptCallingAlone: [String: Int] = [:]

    package init() {}

    package mutating func add(_ record: ConversationRecord) {
        conversations += 1
        let lineage = record.lineage
        tasks[lineage.itemId] = lineage.compositionTask
        if let own = lineage.subTaskFunctions { functionSets[lineage.itemId] = Set(own.joined()).sorted() }
        if let original = lineage.functionsLike { functionClusters[original, default: []].append(lineage.itemId) }
        scenarios.insert(lineage.scenario)
        variants[(lineage.variant ?? .standard).rawValue, default: 0] += 1
        for (criterion, score) in lineage.judge?.scores ?? [:] {
            judgeScores[criterion.rawValue, default: [:]][score.score, default: 0] += 1
        }
        for (check, result) in lineage.checks ?? [:] where result.outcome == .fail || result.outcome == .measuredFail {
            violations[check, default: 0] += 1
        }
        for function in record.functions { functionNames.insert(function.name) }
        var callCount = 0
        var assistantTurns = 0
        for message in record.messages {
            switch message.role {
            case .assistant:
                assistantTurns += 1
                let turnCalls = message.toolCalls ?? []
                callCount += turnCalls.count
                if !turnCalls.isEmpty { toolTurns += 1 }
                if turnCalls.count > 1 { parallelTurns += 1 }
                for call in turnCalls { functionCalls[call.function.name, default: 0] += 1 }
            case .user:
                addNgrams(of: message.content ?? "")
            default:
                break
            }
        }
        calls[callCount, default: 0] += 1
        rounds[assistantTurns, default: 0] += 1
        let called = Set(record.messages.flatMap { $0.toolCalls ?? [] }.map(\.function.name))
        for name in called { keptCalling[name, default: 0] += 1 }
        if called.count == 1, let only = called.first { keptCallingAlone[only, default: 0] += 1 }
    }

    /// Word n-grams as `MinHashSignature.words` cuts words: lowercased runs of letters and digits.
    private mutating func addNgrams(of text: String) {
        let words = MinHashSignature.words(text)
        for n in 1...3 where words.count >= n {
            for start in 0...(words.count - n) {
                ngrams[n - 1].insert(words[start..<(start + n)].joined(separator: " "))
            }
            ngramTotals[n - 1] += words.count - n + 1
        }
    }

    package func report(
        run: String, status: RunStatus, filtered: [RemovedItem], dead: [RemovedItem], prices: RunEstimate.Prices?
    ) -> DatasetReport {
        var clusters: [String: [String]] = [:]
        var scenariosNear: [String: Int] = [:]
        var functionClusters = self.functionClusters
        var functionSets = self.functionSets
        var tasks = self.tasks
        for item in filtered {
            if let id = item.id, let subTasks = item.item?.subTasks, functionSets[id] == nil {
                let names = subTasks.flatMap(\.functions).map(\.name)
                if !names.isEmpty { functionSets[id] = Set(names).sorted() }
            }
            if let id = item.id, let task = item.item?.compositionTask, tasks[id] == nil, item.duplicateOf == nil {
                tasks[id] = task
            }
            if let original = item.duplicateOf {
                clusters[original, default: []].append(item.id ?? "?")
                if item.scenarioNear == true { scenariosNear[original, default: 0] += 1 }
            }
            if let original = item.item?.functionsLike {
                functionClusters[original, default: []].append(item.id ?? "?")
            }
        }
        let output = Double(max(status.output, 1))
        let costs = StageName.allCases.map(\.rawValue).compactMap { name in
            status.stages[name].flatMap { stage -> StageCost? in
                guard stage.promptTokens + stage.completionTokens > 0 else { return nil }
                let prompt = Double(stage.promptTokens) / output
                let completion = Double(stage.completionTokens) / output
                return StageCost(
                    stage: name, promptTokens: prompt, completionTokens: completion,
                    cost: prices?.cost(prompt: prompt, completion: completion))
            }
        }
        return DatasetReport(
            run: run,
            outcomes: [
                RankedCount(name: "output", count: status.output),
                RankedCount(name: "filtered", count: status.filtered),
                RankedCount(name: "dead", count: status.dead),
            ],
            filterReasons: RankedCount.ranked(Self.reasonCounts(filtered)),
            deadReasons: RankedCount.ranked(Self.reasonCounts(dead)),
            conversations: conversations,
            judgeScores: judgeScores.mapValues { scores in
                JudgeScore.range.map { RankedCount(name: String($0), count: scores[$0] ?? 0) }
            },
            ruleViolations: RankedCount.ranked(violations),
            callsPerConversation: RankedCount.histogram(calls), rounds: RankedCount.histogram(rounds),
            toolTurns: toolTurns, parallelTurns: parallelTurns,
            parallelShare: toolTurns == 0 ? 0 : Double(parallelTurns) / Double(toolTurns),
            variants: RankedCount.ranked(variants), distinctScenarios: scenarios.count,
            distinctFunctionNames: functionNames.count,
            userNgrams: (1...3).map { NgramCount(n: $0, distinct: ngrams[$0 - 1].count, total: ngramTotals[$0 - 1]) },
            topFunctionNames: RankedCount.ranked(functionCalls, limit: 15),
            nearDuplicateClusters: Self.largest(clusters).map {
                NearDuplicateCluster(
                    original: $0.key, task: tasks[$0.key], repeats: $0.value.sorted(),
                    scenariosNear: scenariosNear[$0.key] ?? 0)
            },
            nearDuplicateClusterCount: clusters.count,
            functionSetClusters: Self.largest(functionClusters).map {
                FunctionSetCluster(original: $0.key, functions: functionSets[$0.key], repeats: $0.value.sorted())
            },
            functionSetClusterCount: functionClusters.count, costPerConversation: costs)
    }

    /// The 15 clusters with the most repeats, ties by the original's id.
    private static func largest(_ clusters: [String: [String]]) -> ArraySlice<(key: String, value: [String])> {
        clusters.sorted {
            $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key
        }.prefix(15)
    }

    /// `stage: reason`, the reason cut at its first colon (after the stage's name, which some
    /// reasons start with) and each word with a digit in it written `#`, so that reasons
    /// naming items (`17.e0.a1`), counts or scores rank together.
    package static func reasonKey(stage: String, reason: String) -> String {
        let unprefixed = reason.hasPrefix(stage + ": ") ? String(reason.dropFirst(stage.count + 2)) : reason
        let head = unprefixed.split(separator: ":", maxSplits: 1).first.map(String.init) ?? unprefixed
        let words = head.split(separator: " ").map { word in word.contains(where: \.isNumber) ? "#" : String(word) }
        return "\(stage): " + words.joined(separator: " ")
    }

    private static func reasonCounts(_ items: [RemovedItem]) -> [String: Int] {
        items.reduce(into: [:]) { counts, item in
            counts[reasonKey(stage: item.stage, reason: item.reason), default: 0] += 1
        }
    }
}
