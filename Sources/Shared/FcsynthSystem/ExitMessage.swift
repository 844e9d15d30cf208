import Glibc

/// The message a command ends with (usage after a bad flag, help, the error that stopped it)
/// must not keep the process from exiting with its status. Written the usual way, a byte at a
/// time to unbuffered stderr, it blocks for good on a pipe nobody reads once the pipe is full,
/// and its first byte kills the process by SIGPIPE (status 141, not 64) when the reader is
/// gone. Here it goes out in pieces a pipe takes whole, each only once `poll` says there is
/// room; after `patience` without room, or on any error, the rest is dropped.
public enum ExitMessage {
    /// Prints `message` (and a line break) to stdout for status 0, to stderr otherwise, and exits.
    /// The caller ignores SIGPIPE first, since a reader may still go between the poll and the write.
    public static func exit(status: Int32, message: String) -> Never {
        if !message.isEmpty {
            write(message + "\n", to: status == 0 ? STDOUT_FILENO : STDERR_FILENO)
        }
        Glibc.exit(status)
    }

    /// Writes `text` to `descriptor`; returns whether all of it went.
    @discardableResult
    private static func write(_ text: String, to descriptor: Int32, patience: Duration = .seconds(2)) -> Bool {
        var bytes = Array(text.utf8)[...]
        let deadline = ContinuousClock.now + patience
        while !bytes.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let waited = poll(&ready, 1, Int32(left / .milliseconds(1)) + 1)
            if waited < 0 && errno == EINTR { continue }
            // Nothing ready in time, or POLLERR / POLLHUP / POLLNVAL: no reader will take it.
            guard waited > 0, ready.revents & Int16(POLLOUT) != 0, ready.revents & Int16(POLLERR) == 0 else {
                return false
            }
            // A pipe with room takes a write of up to PIPE_BUF bytes whole, without blocking.
            let written = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, min($0.count, Int(PIPE_BUF)))
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
