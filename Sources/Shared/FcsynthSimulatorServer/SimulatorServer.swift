import FcsynthCore
import FcsynthSimulatedLLM
import FcsynthSystem
import Foundation
import Glibc
import Synchronization

/// The simulated LLM as an OpenAI-compatible HTTP endpoint: `POST /v1/chat/completions`
/// (and `/chat/completions`), `GET /health`, `GET /stats` and `POST /stats/reset`.
///
/// One thread runs an epoll loop over non-blocking sockets, so that thousands of slow answers
/// in flight cost a timer each rather than a thread each. The backend runs in tasks and posts
/// its answers back to the loop.
public final class SimulatorServer: Sendable {
    public let options: SimulatorOptions
    private let backend: any LLMBackend
    private let state = Mutex<State>(.idle)

    private enum State {
        case idle
        case running(port: Int, mailbox: SimulatorMailbox, stopped: DispatchSemaphore)
        case stopped
    }

    public init(options: SimulatorOptions = .loopback(), backend: any LLMBackend = SimulatedLLM()) {
        self.options = options
        self.backend = backend
    }

    deinit {
        stop()
    }

    /// Binds, starts the loop thread and returns the port it listens on.
    @discardableResult
    public func start() throws(SimulatorServerError) -> Int {
        try state.withLock { state throws(SimulatorServerError) -> Int in
            guard case .idle = state else { throw .alreadyStarted }
            // A client that disappears mid-answer must not kill the process.
            signal(SIGPIPE, SIG_IGN)
            // Thousands of connections need more descriptors than the usual soft limit allows.
            OpenFileLimit.raiseToHardLimit()
            let listener = try SimulatorListener.bind(host: options.host, port: options.port, backlog: options.backlog)
            let mailbox: SimulatorMailbox
            let loop: SimulatorEventLoop
            do throws(SimulatorServerError) {
                mailbox = try SimulatorMailbox()
                loop = try SimulatorEventLoop(
                    options: options, backend: backend, mailbox: mailbox, listenerFD: listener.fd)
            } catch {
                close(listener.fd)
                throw error
            }
            let stopped = DispatchSemaphore(value: 0)
            let transfer = UnsafeTransfer(value: loop)
            let thread = Thread {
                transfer.value.run()
                stopped.signal()
            }
            thread.name = "fcsynth-simulator"
            thread.start()
            state = .running(port: listener.port, mailbox: mailbox, stopped: stopped)
            return listener.port
        }
    }

    /// The bound port while running.
    public var port: Int? {
        state.withLock { state in
            guard case .running(let port, _, _) = state else { return nil }
            return port
        }
    }

    /// The OpenAI base URL clients append `/chat/completions` to, while running.
    public var baseURL: String? {
        port.map { "http://\(Self.urlHost(options.host)):\($0)/v1" }
    }

    /// Stops the loop, closes every connection and waits for the thread to finish.
    public func stop() {
        let running = state.withLock { state -> (SimulatorMailbox, DispatchSemaphore)? in
            guard case .running(_, let mailbox, let stopped) = state else { return nil }
            state = .stopped
            return (mailbox, stopped)
        }
        guard let (mailbox, stopped) = running else { return }
        mailbox.post(.stop)
        stopped.wait()
    }

    private static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// Hands the loop to its thread: it is created here and used only there afterwards.
private struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
}
