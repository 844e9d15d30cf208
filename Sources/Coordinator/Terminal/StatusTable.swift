import FcsynthCore
import FcsynthPipeline
import Foundation

/// A run's status as a table for people.
struct StatusTable {
    struct Rates {
        var previous: RunStatus
        var current: RunStatus
        var seconds: Double

        func perSecond(_ stage: String) -> Double {
            let done = (current.stages[stage]?.done ?? 0) - (previous.stages[stage]?.done ?? 0)
            return Double(done) / max(seconds, 0.001)
        }

        var finishedPerSecond: Double {
            let finished = { (status: RunStatus) in status.output + status.filtered + status.dead }
            return Double(finished(current) - finished(previous)) / max(seconds, 0.001)
        }
    }

    var status: RunStatus
    var rates: Rates?
    var prices: RunEstimate.Prices?

    func render() -> String {
        var lines: [String] = []
        let finished = status.output + status.filtered + status.dead
        let state = status.complete ? "complete" : status.spend.budgetReached ? "budget reached" : status.state
        var header = "run \(status.run)  [\(state)]  rows \(status.rowsEnqueued)"
        if status.rowsRejected > 0 { header += " (+\(status.rowsRejected) rejected)" }
        if status.rowsDuplicate > 0 { header += " (+\(status.rowsDuplicate) repeats skipped)" }
        header += "  items \(status.items)  workers \(status.workers)"
        lines.append(header)
        if let error = status.enqueueError {
            lines.append("enqueue stopped: \(error)")
            lines.append(
                "  fix the file and enqueue it again to resume, or finish with: fcsynth close-input --run \(status.run)"
            )
        }
        lines.append(pad(["stage", "queued", "in flight", "done", "failed", "retried", "filtered", "/s"]))
        for stage in StageName.allCases {
            guard let row = status.stages[stage.rawValue] else { continue }
            let rate = rates.map { String(format: "%.1f", $0.perSecond(stage.rawValue)) } ?? "-"
            lines.append(
                pad([
                    stage.rawValue, "\(row.queued)", "\(row.inFlight)", "\(row.done)", "\(row.failed)",
                    "\(row.retried)", "\(row.filtered)", rate,
                ]))
        }
        var totals = "output \(status.output)  filtered \(status.filtered)"
        if status.nearDuplicates > 0 { totals += " (\(status.nearDuplicates) near-duplicates)" }
        totals += "  dead \(status.dead)"
        if status.delayed > 0 { totals += "  waiting to retry \(status.delayed)" }
        if status.recovered > 0 { totals += "  recovered \(status.recovered)" }
        if status.nearDuplicateFunctions > 0 {
            totals += "  near function sets \(status.nearDuplicateFunctions) (kept)"
        }
        lines.append(totals)
        if !status.complete, let refused = status.errors["paused_for_credentials"], refused > 0 {
            lines.append(
                "the LLM endpoint refused the workers' API key (HTTP 401/403), and \(refused) task attempts waited; while it refuses, work waits: fix FCSYNTH_API_KEY on the workers"
            )
        }
        if let memory = status.redisMemory, memory.isFull {
            lines.append(
                "Redis is full (used \(memory.used) of maxmemory \(memory.limit) bytes, noeviction): workers claim nothing until there is room; raise maxmemory or export to trim the stream"
            )
        }
        if status.atOutputCap {
            lines.append(
                "output stream at its cap (\(status.streamLength) of \(status.outputCap)): conversations wait for export --follow to take them"
            )
        }
        var tokens = "tokens: prompt \(status.promptTokens)  completion \(status.completionTokens)"
        if status.spend.cachedTokens > 0 { tokens += "  (\(status.spend.cachedTokens) of the prompt cached)" }
        if let cost = cost {
            tokens += "  cost " + BudgetText.amount(cost)
            if let tier = status.spend.serviceTier { tokens += " at the \(tier) tier" }
        }
        if status.tokensEstimated > 0 {
            tokens += "  (\(status.tokensEstimated) estimated: the endpoint reported no usage)"
        }
        var saved: [String] = []
        if status.replayedCalls > 0 { saved.append("replayed \(status.replayedCalls) calls") }
        if status.cacheHits > 0 { saved.append("\(status.cacheHits) calls answered from the cache") }
        if !saved.isEmpty { tokens += "  " + saved.joined(separator: ", ") + ", saving \(status.tokensSaved) tokens" }
        lines.append(tokens)
        if let tier = status.spend.serviceTier, cost == nil { lines.append("service tier \(tier)") }
        if let batch = status.batch { lines.append(Self.batchLine(batch)) }
        let budget = BudgetText(spend: status.spend)
        if status.spend.budget != RunBudget() {
            lines.append("budget: " + budget.summary)
            if status.spend.budgetReached {
                lines.append(
                    "  raise it to resume: fcsynth budget --run \(status.run) --max-cost AMOUNT (or --budget-tokens N)")
            }
        }
        if !status.errors.isEmpty {
            lines.append(
                "errors: "
                    + status.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  "))
        }
        if !status.repairs.isEmpty {
            lines.append(
                "reply repairs: "
                    + status.repairs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  "))
        }
        if !status.judgeScores.isEmpty {
            lines.append("judge scores, items scoring 1/2/3/4/5:")
            for criterion in JudgeCriterion.allCases {
                let counts = status.judgeScores[criterion.rawValue] ?? [:]
                let histogram = JudgeScore.range.map { String(counts[String($0)] ?? 0) }.joined(separator: "/")
                lines.append("  " + criterion.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0) + histogram)
            }
        }
        let faults = status.llmFaults.filter { $0.key.hasPrefix("llm_faults:") }
        if !faults.isEmpty {
            lines.append(
                "LLM faults (fleet, retried ones included): "
                    + faults.sorted { $0.key < $1.key }
                    .map { "\($0.key.dropFirst("llm_faults:".count)) \($0.value)" }.joined(separator: "  "))
        }
        if let rates, !status.complete, status.items > finished {
            let speed = rates.finishedPerSecond
            let eta = speed > 0 ? TerminalLine.duration(Double(status.items - finished) / speed) : "--:--"
            lines.append(String(format: "finishing %.1f items/s  ETA %@ (for the items created so far)", speed, eta))
        }
        return lines.joined(separator: "\n")
    }

    /// The batch side in one line: where the requests are, and what the batches saved.
    static func batchLine(_ batch: BatchStatus) -> String {
        var line =
            "batches: \(batch.openBatches) open (\(batch.inBatches) requests)  \(batch.pending) pending  "
            + "\(batch.parked) tasks parked  \(batch.rounds) rounds  answered \(batch.answered)"
        if batch.retried > 0 || batch.failed > 0 { line += "  sent again \(batch.retried)  failed \(batch.failed)" }
        line += "  leader " + (batch.leader ?? "none")
        if let cost = batch.cost, let online = batch.onlineCost {
            line +=
                "  cost " + BudgetText.amount(cost) + " at the batch price (online: " + BudgetText.amount(online) + ")"
        }
        return line
    }

    /// At the prices given to `status`, else at the run's own, with the cached part of the
    /// prompt at its rate; nil without prices.
    private var cost: Double? {
        guard let prices else { return status.spend.cost }
        let usage = TokenUsage(
            promptTokens: status.promptTokens, completionTokens: status.completionTokens,
            cachedTokens: status.spend.cachedTokens)
        return prices.cost(usage)
    }

    private func pad(_ cells: [String]) -> String {
        let widths = [18, 8, 10, 8, 8, 8, 9, 7]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }
}
