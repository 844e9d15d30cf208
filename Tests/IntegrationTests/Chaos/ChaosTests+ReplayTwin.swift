import Foundation
import TestSupport
import Testing

@testable import FcsynthPipeline
@testable import FcsynthSystem

extension ChaosTests {
    /// What one twin of the replay comparison measured.
    struct KillTwin {
        var audit: ChaosAudit
        var kills: Int
        /// Seconds from the last kill until the run was complete.
        var settled: Double
        /// Tokens the run counted: each finished call once, the same in both twins.
        var counted: Int
        /// Tokens the endpoint served beyond those: what the kills cost.
        var paidAgain: Int
    }

    /// The kill scenario twice over the same rows and the same kills, placed by progress rather
    /// than by time, once with replay and once with `--no-replay`. The simulator answers a
    /// request the same way every time, so the tokens a run counts are the same in both; what
    /// the endpoint served beyond them is what the kills cost. A task makes one call, so what
    /// replay can save is an answer received and not yet handed off; the workers reach Redis
    /// through 50 ms of latency, as across a network, which keeps answers in that state long
    /// enough for kills to find them.
    ///
    /// The twins' costs are reported side by side but not compared: a kill also wastes the calls
    /// in flight, which replay cannot save, and how many answers a kill finds held differs from
    /// twin to twin (runs measured 631 to 9,959 tokens paid again with replay, 3,114 to 12,809
    /// without, and replay saving 10,613 to 14,794). That replay's answers are not asked for
    /// again is proved where the kill is placed on a held answer: `ReplayKillTests`.
    @Test("the same SIGKILLs with and without replay: both sound, only the replay twin replays")
    func killsWithAndWithoutReplay() async throws {
        let replayed = try await Self.killTwin(replay: true)
        let unreplayed = try await Self.killTwin(replay: false)
        #expect(replayed.audit.status.replayedCalls > 0, "no answer was replayed")
        #expect(unreplayed.audit.status.replayedCalls == 0, "--no-replay replayed")
        #expect(replayed.counted == unreplayed.counted, "the twins differ in their work, not only in replay")
        #expect(replayed.audit.status.tokensSaved > 0, "replay saved no tokens")
        #expect(unreplayed.audit.status.tokensSaved == 0, "--no-replay saved tokens")
        for (twin, name) in [(replayed, "replay"), (unreplayed, "no replay")] {
            ChaosFigures(
                fault: "SIGKILL \(twin.kills) workers at set progress (\(name))", audit: twin.audit,
                settled: twin.settled,
                extra: [("tokens_paid_again", "\(twin.paidAgain)")]
            ).report()
        }
    }

    /// 100 rows, two workers; a worker is killed and replaced 300 ms after the tasks done pass
    /// each step (not at once: a step is passed by a hand-off, the moment a worker holds the
    /// fewest answers), the victims taken in turn.
    static func killTwin(replay: Bool) async throws -> KillTwin {
        let simulator = try await SimulatorProcess.start(["--latency-ms", "200"])
        defer { simulator.stop() }
        let world = try await ChaosWorld(rows: 100)
        defer { world.shutDown() }
        let proxy = try LatencyProxy(to: world.redis.port, delay: .milliseconds(50))
        defer { proxy.stop() }
        #expect(try await world.enqueue(options: replay ? [] : ["--no-replay"]) == 0)

        var live: [ChildProcess] = []
        var started = 0
        func replace() throws {
            started += 1
            live.append(
                try world.startWorker(
                    "twin-\(started)", llm: .endpoint(simulator.baseURL), redisURL: "redis://127.0.0.1:\(proxy.port)"))
        }
        for _ in 0..<2 { try replace() }
        let steps = [100, 250, 400, 550, 700]
        for (index, step) in steps.enumerated() {
            try await world.waitUntil("\(step) tasks done", timeout: .seconds(300)) { $0.tasksDone >= step }
            try await Task.sleep(for: .milliseconds(300))
            let victim = live.remove(at: index % live.count)
            victim.signal(SIGKILL)
            #expect(await ChaosWorld.waitForExit(victim, timeout: .seconds(5)))
            try replace()
        }
        #expect(try await !world.status().complete, "the run ended before the kills did, so they proved nothing")
        let lastKill = ContinuousClock.now
        try await world.waitForCompletion()
        let settled = (ContinuousClock.now - lastKill) / .seconds(1)
        let audit = try await ChaosAudit.read(world)
        audit.expectSound()
        let served = try await simulator.stats()
        let counted = audit.status.promptTokens + audit.status.completionTokens
        return KillTwin(
            audit: audit, kills: steps.count, settled: settled, counted: counted,
            paidAgain: served.promptTokens + served.completionTokens - counted)
    }
}
