import CCurl
import CCurlShim
import FcsynthCore
import Foundation

/// A dedicated thread that owns one curl multi handle and drives every transfer on it.
///
/// Callers hand transfers in through a locked queue and `curl_multi_wakeup`, then wait on a
/// continuation, so thousands of requests in flight cost one thread and no pool threads.
package final class CurlMultiLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    // Guarded by `lock`.
    private var commands: [Command] = []
    private var stopping = false
    private var opened = 0
    // Loop thread only: easy handles currently added to `multi`.
    private var active = Set<UnsafeMutableRawPointer>()

    package init(maxConnections: Int) throws(LLMError) {
        guard Self.globalInit == CURLE_OK, let multi = curl_multi_init() else {
            throw .transport(.other, message: "libcurl failed to initialize")
        }
        self.multi = multi
        fcsynth_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnections))
        // Keep every connection the host limit allows open for reuse.
        fcsynth_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxConnections))
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
            // Under the lock, here and in `send`: once the loop has seen `stopping` it cleans the
            // multi handle up, and a wakeup after that would touch freed memory.
            curl_multi_wakeup(multi)
        }
    }

    private func send(_ command: Command) {
        let accepted = lock.withLock {
            // Once stopping, the loop takes one last batch and ends: a later command would wait forever.
            guard !stopping else { return false }
            commands.append(command)
            // A wakeup stays pending until the next poll, which drains the whole queue; so only
            // the first command of a burst needs one.
            if commands.count == 1 { curl_multi_wakeup(multi) }
            return true
        }
        // The loop never saw the transfer, so the caller still owns it and resumes it here.
        if !accepted, case .add(let transfer) = command { transfer.resume(with: .failure(CancellationError())) }
    }

    private func run() {
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
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for handle in active {
            finish(handle) { $0.resume(with: .failure(CancellationError())) }
        }
        curl_multi_cleanup(multi)
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
