import CCurl
import CCurlShim
import CEpoll
import FcsynthCore
import Foundation

/// A dedicated thread that owns one curl multi handle and drives every transfer on it.
///
/// Callers hand transfers in through a locked queue and an eventfd, then wait on a
/// continuation, so thousands of requests in flight cost one thread and no pool threads. The
/// loop waits in `epoll_wait` on the sockets curl asks it to watch and hands curl only the
/// sockets that are ready (`curl_multi_socket_action`): a wake-up costs the same with 64
/// transfers in flight as with one, where `curl_multi_perform` and `curl_multi_poll` visited
/// every transfer and every socket each time.
package final class CurlMultiLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
    /// The longest the loop sleeps without a timer of curl's, as a guard against a lost wake-up.
    private static let idleWaitMilliseconds: Int32 = 1_000

    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let wakeup: Int32
    private let lock = NSLock()
    // Guarded by `lock`.
    private var commands: [Command] = []
    private var stopping = false
    private var opened = 0
    // Loop thread only: easy handles currently added to `multi`, and when curl wants
    // `CURL_SOCKET_TIMEOUT` (nil: it has no timer).
    private var active = Set<UnsafeMutableRawPointer>()
    private var timerDeadline: ContinuousClock.Instant?

    package init(maxConnections: Int) throws(LLMError) {
        guard Self.globalInit == CURLE_OK, let multi = curl_multi_init() else {
            throw .transport(.other, message: "libcurl failed to initialize")
        }
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        let wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard epoll >= 0, wakeup >= 0 else {
            let reason = String(cString: strerror(errno))
            if epoll >= 0 { close(epoll) }
            curl_multi_cleanup(multi)
            throw .transport(.other, message: "the curl loop could not make its event set: \(reason)")
        }
        self.multi = multi
        self.epoll = epoll
        self.wakeup = wakeup
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        fcsynth_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnections))
        // Keep every connection the host limit allows open for reuse.
        fcsynth_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxConnections))
        // The loop thread holds `self` for as long as curl can call back.
        let context = Unmanaged.passUnretained(self).toOpaque()
        fcsynth_multi_setopt_socket_callback(multi, curlSocketCallback)
        fcsynth_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, context)
        fcsynth_multi_setopt_timer_callback(multi, curlTimerCallback)
        fcsynth_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, context)
        let thread = Thread { [self] in run() }
        thread.name = "fcsynth-curl"
        thread.start()
    }

    /// Runs `transfer` and returns its answer; cancelling the task aborts the transfer.
    package func perform(_ transfer: CurlTransfer) async throws -> HTTPExchange {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                send(.add(transfer))
            }
        } onCancel: {
            send(.cancel(transfer))
        }
    }

    /// New connections made so far; fewer than transfers means connections were reused.
    package var connectionsOpened: Int {
        lock.withLock { opened }
    }

    /// Ends the loop: transfers running or still queued fail with `CancellationError`, and so
    /// does every `perform` after it, at once.
    package func shutdown() {
        lock.withLock {
            guard !stopping else { return }
            stopping = true
            // Under the lock, here and in `send`: once the loop has seen `stopping` it closes
            // the eventfd, and a write after that could land on a descriptor reused since.
            signalLoop()
        }
    }

    /// curl's CURLMOPT_SOCKETFUNCTION, on the loop thread: watch `socket` for what curl waits on.
    func watch(_ socket: Int32, for what: Int32) {
        guard what != CURL_POLL_REMOVE else {
            // curl may have closed the socket already, which took it out of the set.
            epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
            return
        }
        var event = epoll_event()
        event.events =
            (what & CURL_POLL_IN != 0 ? EPOLLIN.rawValue : 0) | (what & CURL_POLL_OUT != 0 ? EPOLLOUT.rawValue : 0)
        event.data.fd = socket
        if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0, errno == ENOENT {
            epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event)
        }
    }

    /// curl's CURLMOPT_TIMERFUNCTION, on the loop thread: -1 cancels the timer.
    func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
    }

    private func send(_ command: Command) {
        let accepted = lock.withLock {
            // Once stopping, the loop takes one last batch and ends: a later command would wait forever.
            guard !stopping else { return false }
            commands.append(command)
            // A wake-up stays pending until the loop reads the eventfd, and the loop drains the
            // whole queue after it; so only the first command of a burst needs one.
            if commands.count == 1 { signalLoop() }
            return true
        }
        // The loop never saw the transfer, so the caller still owns it and resumes it here.
        if !accepted, case .add(let transfer) = command { transfer.resume(with: .failure(CancellationError())) }
    }

    private func signalLoop() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var running: Int32 = 0
        while true {
            let (batch, stop) = lock.withLock {
                defer { commands.removeAll(keepingCapacity: true) }
                return (commands, stopping)
            }
            if stop {
                // The last commands: none can follow the stop, and each add has a caller waiting.
                for case .add(let transfer) in batch { transfer.resume(with: .failure(CancellationError())) }
                break
            }
            for command in batch {
                switch command {
                case .add(let transfer): start(transfer)
                case .cancel(let transfer): cancel(transfer)
                }
            }
            let capacity = Int32(events.count)
            let timeout = waitMilliseconds()
            let ready = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, capacity, timeout) }
            for event in events.prefix(Int(max(0, ready))) {
                let socket = event.data.fd
                if socket == wakeup {
                    var count: UInt64 = 0
                    _ = read(wakeup, &count, MemoryLayout<UInt64>.size)
                    continue
                }
                var flags: Int32 = 0
                if event.events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
                if event.events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
                if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
                curl_multi_socket_action(multi, socket, flags, &running)
            }
            if let deadline = timerDeadline, deadline <= .now {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
            }
            collectFinished()
        }
        for handle in active {
            finish(handle) { $0.resume(with: .failure(CancellationError())) }
        }
        curl_multi_cleanup(multi)
        close(epoll)
        close(wakeup)
    }

    /// Until curl's timer is due, within the idle guard.
    private func waitMilliseconds() -> Int32 {
        guard let deadline = timerDeadline else { return Self.idleWaitMilliseconds }
        let left = deadline - .now
        guard left > .zero else { return 0 }
        return Int32(min(Int(Self.idleWaitMilliseconds), left.curlMilliseconds))
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.cancelRequested {
            transfer.resume(with: .failure(CancellationError()))
            return
        }
        let opaque = Unmanaged.passRetained(transfer).toOpaque()
        transfer.attach(opaque)
        let code = curl_multi_add_handle(multi, transfer.handle)
        guard code == CURLM_OK else {
            Unmanaged<CurlTransfer>.fromOpaque(opaque).release()
            let reason = String(cString: curl_multi_strerror(code))
            transfer.resume(
                with: .failure(LLMError.transport(.other, message: "curl_multi_add_handle failed: \(reason)")))
            return
        }
        active.insert(transfer.handle)
    }

    private func cancel(_ transfer: CurlTransfer) {
        if active.contains(transfer.handle) {
            finish(transfer.handle) { $0.resume(with: .failure(CancellationError())) }
        } else {
            transfer.cancelRequested = true
        }
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            // The message dies with the handle's removal, so read the result first.
            let result = message.pointee.data.result
            var connects = 0
            fcsynth_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
            if connects > 0 {
                lock.withLock { opened += connects }
            }
            finish(handle) { $0.complete(result) }
        }
    }

    /// Removes a transfer from the multi handle and drops the retain taken in `start`.
    private func finish(_ handle: UnsafeMutableRawPointer, _ resume: (CurlTransfer) -> Void) {
        var opaque: UnsafeMutableRawPointer?
        fcsynth_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &opaque)
        curl_multi_remove_handle(multi, handle)
        active.remove(handle)
        guard let opaque else { return }
        resume(Unmanaged<CurlTransfer>.fromOpaque(opaque).takeRetainedValue())
    }
}
