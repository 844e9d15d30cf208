import Foundation

/// How a worker process takes part in the fleet.
public struct PipelineWorkerOptions: Sendable {
    public var id: String
    public var namespace: String = "fcsynth"
    /// Tasks (and so LLM calls) in flight at once.
    public var concurrency: Int = 64
    /// Runs to serve; empty serves every active run.
    public var runs: [String] = []
    /// How long a silent worker keeps its tasks before others may take them back.
    public var lease: Duration = .seconds(15)
    public var heartbeatInterval: Duration = .seconds(5)
    public var sweepInterval: Duration = .seconds(5)
    public var discoveryInterval: Duration = .seconds(5)
    /// The longest an idle worker waits between looks at its queues.
    public var maxIdlePoll: Duration = .seconds(2)
    /// On SIGTERM: time to finish the tasks in hand before the rest go back to their queues.
    public var drainGrace: Duration = .seconds(20)
    /// On SIGTERM: the longest from the stop to `run()` returning, grace included, so that a
    /// worker with Redis down still exits within its supervisor's stop timeout (60 s in deploy/).
    /// What it could not hand off or give back by then stays leased to it in Redis.
    public var drainTimeout: Duration = .seconds(45)
    /// Tasks claimed in one script call, at most.
    public var maxClaim: Int = 256
    /// Tasks held claimed beyond the slots, so that a slot that frees starts its next task
    /// without waiting on Redis (none in an outage). Nil: 1/8 of the concurrency, at least 2.
    public var claimAhead: Int {
        get { claimAheadSetting ?? max(2, concurrency / 8) }
        set { claimAheadSetting = newValue }
    }
    private var claimAheadSetting: Int?
    public var claimOrder: ClaimOrder = .mostWorkLeftInTail
    /// Sends a call still unanswered after this long once more, when a slot is spare at the
    /// end of a run, and takes the first answer (`HedgedLLM`); nil: never. Each hedge is paid.
    public var hedgeAfter: Duration?
    /// Batch mode: how long a batch leader that went silent keeps the lead, and how often the
    /// leader looks at its runs' batches.
    public var batchLeaderLease: Duration = .seconds(30)
    public var batchInterval: Duration = .seconds(1)
    /// Where to keep a timeline of the worker's slots and calls, written when it stops; nil: none.
    public var slotTrace: SlotTrace?

    public init(id: String) {
        self.id = id
    }

    /// A worker id unique across machines and restarts: host, pid and a random suffix.
    public static func generatedID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host)-\(getpid())-\(suffix)"
    }
}
