import FcsynthSystem
import Foundation
import Synchronization

/// A TCP proxy on loopback that holds every chunk for `delay` before passing it on, each way:
/// a remote Redis, for the races that a local one answers too fast to show.
public final class LatencyProxy: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let delay: Duration
    private let targetPort: Int
    private let stopped = Atomic(false)

    public init(to targetPort: Int, delay: Duration) throws {
        self.targetPort = targetPort
        self.delay = delay
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ProxyError(message: "cannot listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops taking connections; those open end when either side closes.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                break
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            let delay = delay
            let link = Link(client, upstream)
            Thread { Self.pump(from: client, to: upstream, delay: delay, link: link) }.start()
            Thread { Self.pump(from: upstream, to: client, delay: delay, link: link) }.start()
        }
        close(listener)
    }

    /// Copies one direction; at its end, shuts both sockets so that the other direction ends too.
    private static func pump(from source: Int32, to destination: Int32, delay: Duration, link: Link) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let micros = UInt32(delay.components.seconds * 1_000_000 + delay.components.attoseconds / 1_000_000_000_000)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            usleep(micros)
            var sent = 0
            while sent < count {
                // A peer that died must end this pump, not the test process with SIGPIPE.
                let written = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break loop }
                sent += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        link.finish()
    }

    /// A connection's two sockets, closed once both directions have stopped: closing one
    /// earlier would let the other pump write to a descriptor number the kernel reuses.
    private final class Link: Sendable {
        private let sockets: (Int32, Int32)
        private let finished = Atomic(0)

        init(_ first: Int32, _ second: Int32) { sockets = (first, second) }

        func finish() {
            guard finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 else { return }
            close(sockets.0)
            close(sockets.1)
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    public struct ProxyError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
