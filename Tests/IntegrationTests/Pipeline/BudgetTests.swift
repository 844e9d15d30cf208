import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthSimulatorServer

extension PipelineIntegrationTests {
    /// A run's budget holds four workers together: once its spend reaches the budget no new
    /// item starts, the items started finish, status says so, and a raise resumes the run. The
    /// spend is checked against the simulator's own count of the tokens it reported.
    @Suite struct BudgetTests {
        static let workers = 4
        static let concurrency = 2
        /// Per million tokens, to a thousandth, so that the spend in billionths is exact.
        static let prices = RunEstimate.Prices(prompt: 1.5, completion: 6, cached: 0.375)
        static let priceFlags = [
            "--price-prompt-per-million", "1.5", "--price-completion-per-million", "6",
            "--price-cached-per-million", "0.375",
        ]

        @Test func aCostBudgetStopsFourWorkersWithinTheMarginAndARaiseResumesTheRun() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "20", "--cached-prefix-share", "0.25"])
            let llm = WorkerLLM.http(baseURL: simulator.baseURL)
            let options = ["--no-judge", "--service-tier", "flex"] + Self.priceFlags

            // What one row costs here, from the simulator's own counts, to size the budget by.
            let probe = TestEnvironment.uniqueName("probe")
            let probeRows = 4
            try await fixture.enqueue(
                try SeedRows.write(probeRows, to: fixture.file("probe.jsonl")), run: probe, options)
            let prober = try fixture.startWorker(runs: [probe], llm: llm, concurrency: Self.concurrency)
            _ = try await fixture.waitUntilComplete(probe, timeout: 120)
            #expect(try await fixture.stop(prober) == 0)
            let before = try await simulator.stats()
            let rowCost = Double(Self.nanoDollars(before)) / 1e9 / Double(probeRows)
            #expect(rowCost > 0)

            let run = TestEnvironment.uniqueName("budget")
            let rows = 48
            let budget = (rowCost * 8 * 1e6).rounded() / 1e6
            try await fixture.enqueue(
                try SeedRows.write(rows, to: fixture.file("rows.jsonl")), run: run,
                options + ["--max-cost", String(budget)])
            let workers = try (0..<Self.workers).map { _ in
                try fixture.startWorker(runs: [run], llm: llm, concurrency: Self.concurrency)
            }
            let held = try await Self.waitUntilHeld(run, fixture: fixture)
            let after = try await simulator.stats()

            let spent = try #require(held.spend.cost)
            #expect(held.spend.budgetReached && spent >= budget, "spent \(spent) of \(budget)")
            // Exact: the hand-offs charged what the endpoint reported, no more, no less.
            #expect(
                RunBudget.nanoDollars(spent) == Self.nanoDollars(after) - Self.nanoDollars(before),
                "run's spend \(spent), simulator's \(Double(Self.nanoDollars(after) - Self.nanoDollars(before)) / 1e9)")
            #expect(held.spend.cachedTokens == after.cachedTokens - before.cachedTokens && held.spend.cachedTokens > 0)
            let started = rows - (held.stages[StageName.scenarioExtract.rawValue]?.queued ?? 0)
            #expect(started < rows, "every row started: the budget held nothing")
            // The margin: the items in flight when the budget was reached finish, at most one
            // per task slot of the fleet, each at most what the dearest row here cost.
            let dearest =
                try await fixture.stream(run).map { entry in
                    Self.prices.cost(try JSONCoding.decode(ConversationRecord.self, from: entry.record).usage)
                }.max() ?? rowCost
            let slots = Double(Self.workers * Self.concurrency)
            #expect(
                spent - budget <= slots * max(dearest, rowCost) * 1.5,
                "overshoot \(spent - budget) for \(slots) slots at up to \(dearest) a row")
            #expect(
                Double(started) <= (budget / rowCost).rounded(.up) + slots + 4,
                "\(started) rows started for a budget of about \(budget / rowCost) rows")

            // The figures docs/operations.md quotes for the margin.
            print(
                String(
                    format:
                        "budget margin: %d workers x %d slots, budget %.6f (%.1f rows at %.6f a row), spent %.6f (+%.1f%%, %.1f rows), %d of %d rows started",
                    Self.workers, Self.concurrency, budget, budget / rowCost, rowCost, spent,
                    (spent / budget - 1) * 100, (spent - budget) / rowCost, started, rows))

            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(table.output.contains("[budget reached]"), "\(table.output)")
            #expect(table.output.contains("spent \(BudgetTextFormat.amount(spent)) of"), "\(table.output)")
            #expect(table.output.contains("at the flex tier"), "\(table.output)")
            #expect(held.spend.serviceTier == "flex")
            #expect(
                after.serviceTiers["flex"] == after.requestsTotal && after.requestsTotal > 0, "\(after.serviceTiers)")

            let raise = try await fixture.fcsynth(["budget", "--run", run, "--max-cost", "1000"])
            #expect(raise.status == 0, "\(raise.output)")
            let done = try await fixture.waitUntilComplete(run, timeout: 180)
            done.expectAccounted()
            #expect(done.output > 0 && !done.spend.budgetReached)
            let end = try await simulator.stats()
            #expect(
                RunBudget.nanoDollars(try #require(done.spend.cost))
                    == Self.nanoDollars(end) - Self.nanoDollars(before))
            for worker in workers { #expect(try await fixture.stop(worker) == 0) }
        }

        /// A token budget of 1 is reached by the first hand-off: only the rows the fleet's task
        /// slots took before it start. Lifted (0), the run completes.
        @Test func aTokenBudgetHoldsTheRunAndLiftingItCompletesIt() async throws {
            let fixture = try PipelineFixture()
            let simulator = try await fixture.simulatorProcess(["--latency-ms", "20"])
            let llm = WorkerLLM.http(baseURL: simulator.baseURL)
            let run = TestEnvironment.uniqueName("tokens")
            let rows = 24
            try await fixture.enqueue(
                try SeedRows.write(rows, to: fixture.file("rows.jsonl")), run: run,
                ["--no-judge", "--budget-tokens", "1"])
            let workers = try (0..<Self.workers).map { _ in
                try fixture.startWorker(runs: [run], llm: llm, concurrency: Self.concurrency)
            }
            let held = try await Self.waitUntilHeld(run, fixture: fixture)
            let stats = try await simulator.stats()
            let started = rows - (held.stages[StageName.scenarioExtract.rawValue]?.queued ?? 0)
            // A worker holds its slots and the tasks it claimed ahead (at least 2).
            let slots = Self.workers * (Self.concurrency + max(2, Self.concurrency / 16))
            #expect(started >= 1 && started <= slots, "\(started) rows started")
            #expect(held.spend.chargedTokens == stats.promptTokens + stats.completionTokens)
            #expect(held.spend.cost == nil && held.spend.budget.tokens == 1)
            let table = try await fixture.fcsynth(["status", "--run", run])
            #expect(table.output.contains("[budget reached]") && table.output.contains("of 1 "), "\(table.output)")

            // Resuming the enqueue with its first flags leaves the lifted budget alone.
            let lift = try await fixture.fcsynth(["budget", "--run", run, "--budget-tokens", "0"])
            #expect(lift.status == 0, "\(lift.output)")
            try await fixture.enqueue(fixture.file("rows.jsonl"), run: run, ["--no-judge", "--budget-tokens", "1"])
            let done = try await fixture.waitUntilComplete(run, timeout: 180)
            done.expectAccounted()
            #expect(done.spend.budget == RunBudget() && !done.spend.budgetReached)
            let end = try await simulator.stats()
            #expect(done.spend.chargedTokens == end.promptTokens + end.completionTokens)
            for worker in workers { #expect(try await fixture.stop(worker) == 0) }
        }

        @Test func badBudgetAndTierValuesAreRefusedWithTheReason() async throws {
            let fixture = try PipelineFixture()
            let rows = try SeedRows.write(2, to: fixture.file("rows.jsonl"))
            let run = TestEnvironment.uniqueName("refused")
            let cases: [([String], String)] = [
                (["--max-cost=-1"] + Self.priceFlags, "--max-cost must be an amount of 0 or more"),
                (["--budget-tokens=-5"], "--budget-tokens must be 0 or more"),
                (["--max-cost", "1e12"] + Self.priceFlags, "--max-cost must be an amount of 0 or more, up to"),
                (["--max-cost", "2"], "--max-cost needs the run's prices"),
                (["--service-tier", "turbo"], "'turbo' is invalid for '--service-tier"),
                (["--price-prompt-per-million=-0.5"], "--price-prompt-per-million must be a price of 0 or more"),
            ]
            for (flags, reason) in cases {
                let outcome = try await fixture.fcsynth(["enqueue", rows.path, "--run", run] + flags)
                #expect(outcome.status == 64 && outcome.output.contains(reason), "\(flags): \(outcome.output)")
            }
            // None of them made the run; a good enqueue still goes through, and a cost limit on
            // its priceless run is refused with the reason.
            #expect(try await fixture.redis.send("EXISTS", fixture.keys(run).meta).integer == 0)
            try await fixture.enqueue(rows, run: run, ["--no-judge"])
            let priceless = try await fixture.fcsynth(["budget", "--run", run, "--max-cost", "1"])
            #expect(priceless.status != 0 && priceless.output.contains("stores no prices"), "\(priceless.output)")
            let unknown = try await fixture.fcsynth(["budget", "--run", "no-such-run", "--budget-tokens", "5"])
            #expect(unknown.status != 0 && unknown.output.contains("no run named"), "\(unknown.output)")
            let empty = try await fixture.fcsynth(["budget", "--run", run])
            #expect(empty.status == 64 && empty.output.contains("give --max-cost"), "\(empty.output)")
        }

        /// The simulator's reported usage at the test's prices, in billionths: the oracle.
        static func nanoDollars(_ stats: SimulatorStats) -> Int {
            prices.nanoDollars(
                TokenUsage(
                    promptTokens: stats.promptTokens, completionTokens: stats.completionTokens,
                    cachedTokens: stats.cachedTokens))
        }

        /// Until the budget holds the run still: reached, nothing in flight or waiting, only the
        /// first stage queued; then a look a moment later that it stays so.
        static func waitUntilHeld(_ run: String, fixture: PipelineFixture) async throws -> RunStatus {
            func isHeld(_ status: RunStatus) -> Bool {
                status.spend.budgetReached && status.delayed == 0
                    && status.stages.allSatisfy { stage, numbers in
                        numbers.inFlight == 0 && (stage == StageName.scenarioExtract.rawValue || numbers.queued == 0)
                    }
            }
            let store = fixture.store(run)
            let reached = try await PipelineFixture.eventually(timeout: 180, interval: .milliseconds(200)) {
                isHeld(try await store.status())
            }
            let first = try await store.status()
            #expect(reached, "the budget never held run \(run): \(first)")
            try await Task.sleep(for: .seconds(2))
            let later = try await store.status()
            #expect(isHeld(later) && later.stages == first.stages, "items started after the budget was reached")
            return later
        }
    }
}

/// `BudgetText.amount`'s format, which the Coordinator executable alone holds.
enum BudgetTextFormat {
    static func amount(_ value: Double) -> String { String(format: "%.4f", value) }
}
