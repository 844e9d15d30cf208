import CEpoll
import Glibc

/// An epoll set for the simulator's event loop.
package final class SimulatorEpoll {
    package struct Event {
        package var events: UInt32
        package var token: UInt64
    }

    package static let readable = EPOLLIN.rawValue
    package static let writable = EPOLLOUT.rawValue
    package static let failed = EPOLLERR.rawValue
    package static let hungUp = EPOLLHUP.rawValue
    package static let peerClosed = EPOLLRDHUP.rawValue

    private let fd: Int32
    private var buffer: [epoll_event]

    package init(capacity: Int = 512) throws(SimulatorServerError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw .system("epoll_create1", errno) }
        self.fd = fd
        buffer = [epoll_event](repeating: epoll_event(), count: capacity)
    }

    deinit {
        close(fd)
    }

    package func add(_ descriptor: Int32, token: UInt64, events: UInt32) throws(SimulatorServerError) {
        guard control(EPOLL_CTL_ADD, descriptor, token: token, events: events) == 0 else {
            throw .system("epoll_ctl", errno)
        }
    }

    package func modify(_ descriptor: Int32, token: UInt64, events: UInt32) {
        _ = control(EPOLL_CTL_MOD, descriptor, token: token, events: events)
    }

    package func remove(_ descriptor: Int32) {
        _ = control(EPOLL_CTL_DEL, descriptor, token: 0, events: 0)
    }

    /// Waits up to `timeout` milliseconds (-1: no limit). An interrupted wait returns no events.
    package func wait(timeout: Int32) throws(SimulatorServerError) -> [Event] {
        let capacity = Int32(buffer.count)
        let count = buffer.withUnsafeMutableBufferPointer { epoll_wait(fd, $0.baseAddress, capacity, timeout) }
        if count < 0 {
            guard errno == EINTR else { throw .system("epoll_wait", errno) }
            return []
        }
        return buffer[0..<Int(count)].map { Event(events: $0.events, token: $0.data.u64) }
    }

    private func control(_ operation: Int32, _ descriptor: Int32, token: UInt64, events: UInt32) -> Int32 {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        return epoll_ctl(fd, operation, descriptor, &event)
    }
}
