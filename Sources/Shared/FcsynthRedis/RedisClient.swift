import Foundation
import Logging

/// A Redis connection that Swift concurrency can share. Every hiredis call runs on the
/// client's own thread, never on the cooperative pool; commands from concurrent callers
/// are sent together in one round trip. After a lost connection it reconnects with capped
/// exponential backoff and jitter, and logs once per outage, not once per attempt.
public final class RedisClient: Sendable {
    public let url: RedisURL
    private let engine: Engine
    package let scriptHashes = ScriptHashCache()

    public init(url: RedisURL, options: RedisClientOptions = .default, logger: Logger = Logger(label: "fcsynth.redis"))
    {
        self.url = url
        self.engine = Engine(
            connection: RedisConnection(url: url, options: options), url: url, options: options, logger: logger)
    }

    deinit {
        engine.close()
    }

    /// Sends the commands in one round trip and returns every reply, error replies included.
    public func execute(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        return try await engine.submit(commands, readTimeout: nil)
    }

    /// Sends one command; an error reply is thrown as `RedisError.server`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply {
        try await engine.submit([command], readTimeout: nil)[0].orThrow()
    }

    @discardableResult
    public func send(_ name: String, _ arguments: any RedisArgument...) async throws(RedisError) -> RedisReply {
        try await send(RedisCommand(name, arguments: arguments))
    }

    /// A command that blocks on the server (BLMOVE, XREAD BLOCK...): the read timeout is
    /// raised above the wait for this command alone.
    public func blocking(_ command: RedisCommand, waitingUpTo seconds: Double) async throws(RedisError) -> RedisReply {
        try await engine.submit([command], readTimeout: seconds + engine.options.readTimeout)[0].orThrow()
    }

    /// Runs `work` again when the connection drops before its reply comes back. Only for work
    /// that changes nothing when it runs twice (loading scripts, reads): a lost reply to a write
    /// is the caller's to judge. Gives up once the outage outlasts the client's wait, as a
    /// single command does.
    public func repeatingAfterLostConnection<Result>(
        _ work: () async throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        let deadline = ContinuousClock.now + .seconds(engine.options.unavailableTimeout)
        while true {
            do {
                return try await work()
            } catch .connectionLost(let message) {
                guard ContinuousClock.now < deadline else { throw .connectionLost(message) }
            }
        }
    }

    /// Successful connections so far: a change tells the caller that commands may have been
    /// lost with the old connection.
    public var connectionGeneration: Int { engine.generation }

    /// Fails whatever is waiting and stops the client's thread.
    public func close() {
        engine.close()
    }
}

extension RedisClient {
    private struct Job {
        var commands: [RedisCommand]
        var readTimeout: Double?
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<[RedisReply], any Error>
    }

    /// The thread, its queue and the connection it alone touches.
    private final class Engine: @unchecked Sendable {
        let options: RedisClientOptions
        private let connection: RedisConnection
        private let url: RedisURL
        private let logger: Logger
        private let condition = NSCondition()
        // Guarded by `condition`:
        private var jobs: [Job] = []
        private var closed = false
        private var connections = 0
        // Touched only on the client's thread:
        private var outageStart: ContinuousClock.Instant?
        private var reconnectAttempt = 0
        /// The master the sentinels named at the last connection.
        private var master: RedisAddress?
        private var random = SystemRandomNumberGenerator()

        init(connection: RedisConnection, url: RedisURL, options: RedisClientOptions, logger: Logger) {
            self.connection = connection
            self.url = url
            self.options = options
            self.logger = logger
            let thread = Thread { [self] in run() }
            thread.name = "fcsynth-redis"
            thread.start()
        }

        var generation: Int {
            condition.lock()
            defer { condition.unlock() }
            return connections
        }

        func submit(_ commands: [RedisCommand], readTimeout: Double?) async throws(RedisError) -> [RedisReply] {
            do {
                return try await withCheckedThrowingContinuation { continuation in
                    condition.lock()
                    if closed {
                        condition.unlock()
                        continuation.resume(throwing: RedisError.closed)
                        return
                    }
                    let deadline = ContinuousClock.now + .seconds(options.unavailableTimeout)
                    jobs.append(
                        Job(
                            commands: commands, readTimeout: readTimeout, deadline: deadline, continuation: continuation
                        ))
                    condition.signal()
                    condition.unlock()
                }
            } catch let error as RedisError {
                throw error
            } catch {
                throw .unavailable("\(error)")
            }
        }

        func close() {
            condition.lock()
            closed = true
            let pending = jobs
            jobs = []
            condition.broadcast()
            condition.unlock()
            for job in pending { job.continuation.resume(throwing: RedisError.closed) }
        }

        private func run() {
            while let batch = nextBatch() {
                process(batch)
            }
            connection.close()
        }

        /// Waits for work, then takes as many jobs as fit in one round trip. A blocking
        /// command travels alone, since it holds the connection for its whole wait.
        private func nextBatch() -> [Job]? {
            condition.lock()
            defer { condition.unlock() }
            while jobs.isEmpty && !closed { condition.wait() }
            if closed { return nil }
            if jobs[0].readTimeout != nil { return [jobs.removeFirst()] }
            var count = 0
            var taken = 0
            while taken < jobs.count, jobs[taken].readTimeout == nil,
                taken == 0 || count + jobs[taken].commands.count <= options.maxBatch
            {
                count += jobs[taken].commands.count
                taken += 1
            }
            let batch = Array(jobs.prefix(taken))
            jobs.removeFirst(taken)
            return batch
        }

        private func process(_ batch: [Job]) {
            var batch = batch
            if !connection.isConnected {
                batch = reconnect(holding: batch)
                if batch.isEmpty { return }
            }
            let commands = batch.flatMap(\.commands)
            do {
                let replies = try connection.execute(commands, readTimeout: batch[0].readTimeout)
                var offset = 0
                for job in batch {
                    job.continuation.resume(returning: Array(replies[offset..<offset + job.commands.count]))
                    offset += job.commands.count
                }
            } catch {
                beginOutage(error)
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }

        /// Retries the connection until it is back, failing jobs whose wait has run out.
        /// Returns the jobs still waiting, to send on the new connection.
        private func reconnect(holding batch: [Job]) -> [Job] {
            var waiting = batch
            var lastError: RedisError?
            while !waiting.isEmpty {
                do {
                    try connection.connect()
                    endOutage()
                    return waiting
                } catch .authentication(let message) {
                    logger.error(
                        "Redis refused the credentials", metadata: ["redis": "\(url)", "reason": "\(message)"])
                    for job in waiting { job.continuation.resume(throwing: RedisError.authentication(message)) }
                    return []
                } catch .invalidURL(let message) {
                    // The sentinels answered, and none knows the master: asking again will not help.
                    logger.error("the Redis URL cannot be used", metadata: ["redis": "\(url)", "reason": "\(message)"])
                    for job in waiting { job.continuation.resume(throwing: RedisError.invalidURL(message)) }
                    return []
                } catch {
                    lastError = error
                    beginOutage(error)
                }
                let delay = nextDelay()
                let wakeAt = ContinuousClock.now + .seconds(delay)
                waiting.removeAll { job in
                    guard job.deadline < wakeAt else { return false }
                    job.continuation.resume(
                        throwing: RedisError.unavailable(options.unanswered(by: url, after: lastError)))
                    return true
                }
                if waiting.isEmpty { return [] }
                condition.lock()
                while !closed, ContinuousClock.now < wakeAt {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: delay))
                }
                let isClosed = closed
                condition.unlock()
                if isClosed {
                    for job in waiting { job.continuation.resume(throwing: RedisError.closed) }
                    return []
                }
            }
            return []
        }

        private func nextDelay() -> Double {
            let exponential = options.reconnectBaseDelay * pow(2, Double(min(reconnectAttempt, 16)))
            reconnectAttempt += 1
            let capped = min(options.reconnectMaxDelay, exponential)
            return capped / 2 + Double.random(in: 0...(capped / 2), using: &random)
        }

        private func beginOutage(_ error: RedisError) {
            guard outageStart == nil else { return }
            outageStart = .now
            logger.warning(
                "Redis unreachable; reconnecting with backoff", metadata: ["redis": "\(url)", "reason": "\(error)"])
        }

        private func endOutage() {
            condition.lock()
            connections += 1
            condition.unlock()
            reconnectAttempt = 0
            var metadata: Logger.Metadata = ["redis": "\(url)"]
            if url.sentinels != nil, let address = connection.address {
                metadata["master"] = "\(address)"
                // A failover shows in the log as the node that now serves.
                if master == nil {
                    logger.info("Redis master", metadata: metadata)
                } else if address != master {
                    logger.notice("Redis master changed", metadata: metadata)
                }
                master = address
            }
            if let start = outageStart {
                let seconds = (ContinuousClock.now - start) / .seconds(1)
                metadata["outage_seconds"] = "\(String(format: "%.1f", seconds))"
                logger.notice("Redis connection restored", metadata: metadata)
                outageStart = nil
            }
        }
    }
}
