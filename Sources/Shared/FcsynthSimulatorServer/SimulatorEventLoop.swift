import FcsynthCore
import Foundation
import Glibc

/// The server's single thread: one epoll set for the listener, the mailbox and every connection,
/// and a timer heap for answers waiting out their simulated latency.
/// Everything here is touched only by the loop thread; other threads talk through the mailbox.
package final class SimulatorEventLoop {
    package static let listenerToken: UInt64 = 0
    package static let mailboxToken: UInt64 = 1

    package let options: SimulatorOptions
    package let backend: any LLMBackend
    package let mailbox: SimulatorMailbox
    package let listenerFD: Int32
    package let epoll: SimulatorEpoll
    package var connections: [UInt64: SimulatorConnection] = [:]
    package var nextConnectionID: UInt64 = 2
    package var nextExchangeID: UInt64 = 1
    package var timers = SimulatorTimerHeap()
    package var stats = SimulatorStats()
    package var directives = FaultDirectiveLedger()
    package var limiter: SimulatorRateLimiter
    package var batches: SimulatorBatches
    package var random: SplitMix64
    package var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Set while out of file descriptors: the listener stays readable, so watching it would spin.
    package var acceptPaused = false
    private var running = true

    package init(
        options: SimulatorOptions, backend: any LLMBackend, mailbox: SimulatorMailbox, listenerFD: Int32
    ) throws(SimulatorServerError) {
        self.options = options
        self.backend = backend
        self.mailbox = mailbox
        self.listenerFD = listenerFD
        self.random = SplitMix64(seed: options.seed)
        limiter = SimulatorRateLimiter(
            requestsPerMinute: options.requestsPerMinute, tokensPerMinute: options.tokensPerMinute,
            burstSeconds: options.rateBurstSeconds, now: Self.now())
        batches = SimulatorBatches(
            turnaroundMilliseconds: options.batchTurnaroundMilliseconds, failureRate: options.batchFailureRate,
            expireRate: options.batchExpireRate, seed: options.seed)
        epoll = try SimulatorEpoll()
        try epoll.add(listenerFD, token: Self.listenerToken, events: SimulatorEpoll.readable)
        try epoll.add(mailbox.wakeFD, token: Self.mailboxToken, events: SimulatorEpoll.readable)
    }

    package func run() {
        while running {
            do {
                for event in try epoll.wait(timeout: timers.timeoutMilliseconds(now: Self.now())) {
                    dispatch(event)
                }
            } catch {
                break
            }
            fireDueTimers()
        }
        shutDown()
    }

    private func dispatch(_ event: SimulatorEpoll.Event) {
        switch event.token {
        case Self.listenerToken:
            acceptConnections()
        case Self.mailboxToken:
            for message in mailbox.drain() {
                receive(message)
            }
        case let id:
            guard let connection = connections[id] else { return }
            if event.events
                & (SimulatorEpoll.readable | SimulatorEpoll.hungUp | SimulatorEpoll.failed | SimulatorEpoll.peerClosed)
                != 0
            {
                readAvailable(connection)
            }
            if event.events & SimulatorEpoll.writable != 0, connections[id] != nil {
                flush(connection)
            }
        }
    }

    private func receive(_ message: SimulatorMailbox.Message) {
        switch message {
        case .stop:
            running = false
        case .completed(let connectionID, let exchangeID, let result):
            guard let connection = connections[connectionID], case .answering(var exchange) = connection.phase,
                exchange.id == exchangeID
            else { return }
            exchange.result = result
            connection.phase = .answering(exchange)
            if exchange.isReady { answer(connection, exchange) }
        case .batchAnswered(let batch, let answers):
            batches.answered(batch, answers)
        }
    }

    private func fireDueTimers() {
        let now = Self.now()
        while let timer = timers.popDue(now: now) {
            guard let connection = connections[timer.connection], case .answering(var exchange) = connection.phase,
                exchange.id == timer.exchange
            else { continue }
            exchange.isDue = true
            connection.phase = .answering(exchange)
            if exchange.isReady { answer(connection, exchange) }
        }
    }

    private func shutDown() {
        for connection in connections.values {
            close(connection.fd)
        }
        connections.removeAll()
        close(listenerFD)
    }

    /// Monotonic nanoseconds.
    package static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}
