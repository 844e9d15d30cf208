import FcsynthCore
import Glibc
import Synchronization

/// How other threads reach the event loop: a locked queue plus a pipe whose read end wakes `epoll_wait`.
package final class SimulatorMailbox: Sendable {
    package enum Message: Sendable {
        case completed(connection: UInt64, exchange: UInt64, result: Result<ChatResponse, any Error>)
        /// The simulated model's answers to a batch's lines, in their order.
        case batchAnswered(batch: String, answers: [Result<ChatResponse, SimulatorBatches.Refusal>])
        case stop
    }

    /// Watched by the loop.
    package let wakeFD: Int32
    private let signalFD: Int32
    private let messages = Mutex<[Message]>([])

    package init() throws(SimulatorServerError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw .system("pipe", errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = ends[0]
        signalFD = ends[1]
    }

    deinit {
        close(wakeFD)
        close(signalFD)
    }

    package func post(_ message: Message) {
        let wasEmpty = messages.withLock { pending in
            pending.append(message)
            return pending.count == 1
        }
        // One byte per batch is enough: the loop takes the whole queue when it wakes.
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(signalFD, &byte, 1)
        }
    }

    /// Everything posted so far. The pipe is emptied first, so a later post wakes the loop again.
    package func drain() -> [Message] {
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wakeFD, $0.baseAddress, $0.count) }) > 0 {}
        return messages.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
