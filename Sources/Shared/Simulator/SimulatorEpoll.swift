import Glibc

/// An epoll set. Glibc's Swift module map leaves out `<sys/epoll.h>` and the package has no C target
/// for it, so the three calls are looked up once in the C library and `epoll_event` is laid out by hand.
final class SimulatorEpoll {
    struct Event {
        var events: UInt32
        var token: UInt64
    }

    static let readable: UInt32 = 0x001
    static let writable: UInt32 = 0x004
    static let failed: UInt32 = 0x008
    static let hungUp: UInt32 = 0x010
    static let peerClosed: UInt32 = 0x2000

    private typealias Create = @convention(c) (Int32) -> Int32
    private typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    private struct Calls: @unchecked Sendable {
        let create: Create
        let control: Control
        let wait: Wait
    }

    private static let calls: Calls? = {
        guard let library = dlopen(nil, RTLD_NOW),
              let create = dlsym(library, "epoll_create1"),
              let control = dlsym(library, "epoll_ctl"),
              let wait = dlsym(library, "epoll_wait") else { return nil }
        return Calls(
            create: unsafeBitCast(create, to: Create.self),
            control: unsafeBitCast(control, to: Control.self),
            wait: unsafeBitCast(wait, to: Wait.self)
        )
    }()

    // x86-64 packs `struct epoll_event`; elsewhere the 64-bit data is aligned.
    #if arch(x86_64)
    private static let stride = 12
    private static let dataOffset = 4
    #else
    private static let stride = 16
    private static let dataOffset = 8
    #endif

    private static let closeOnExec: Int32 = 0o2_000_000
    private static let add: Int32 = 1
    private static let remove: Int32 = 2
    private static let modify: Int32 = 3

    private let calls: Calls
    private let fd: Int32
    private let capacity: Int
    private let buffer: UnsafeMutableRawPointer

    init(capacity: Int = 512) throws(SimulatorServerError) {
        guard let calls = Self.calls else { throw .system("epoll lookup", ENOSYS) }
        let fd = calls.create(Self.closeOnExec)
        guard fd >= 0 else { throw .system("epoll_create1", errno) }
        self.calls = calls
        self.fd = fd
        self.capacity = capacity
        buffer = .allocate(byteCount: capacity * Self.stride, alignment: 8)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    func add(_ descriptor: Int32, token: UInt64, events: UInt32) throws(SimulatorServerError) {
        guard control(Self.add, descriptor, token: token, events: events) == 0 else { throw .system("epoll_ctl", errno) }
    }

    func modify(_ descriptor: Int32, token: UInt64, events: UInt32) {
        _ = control(Self.modify, descriptor, token: token, events: events)
    }

    func remove(_ descriptor: Int32) {
        _ = control(Self.remove, descriptor, token: 0, events: 0)
    }

    /// Waits up to `timeout` milliseconds (-1: no limit). An interrupted wait returns no events.
    func wait(timeout: Int32) throws(SimulatorServerError) -> [Event] {
        let count = calls.wait(fd, buffer, Int32(capacity), timeout)
        if count < 0 {
            guard errno == EINTR else { throw .system("epoll_wait", errno) }
            return []
        }
        return (0..<Int(count)).map { index in
            let entry = buffer + index * Self.stride
            return Event(
                events: entry.loadUnaligned(as: UInt32.self),
                token: entry.loadUnaligned(fromByteOffset: Self.dataOffset, as: UInt64.self)
            )
        }
    }

    private func control(_ operation: Int32, _ descriptor: Int32, token: UInt64, events: UInt32) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: Self.stride, alignment: 8) { entry in
            entry.storeBytes(of: events, as: UInt32.self)
            entry.storeBytes(of: token, toByteOffset: Self.dataOffset, as: UInt64.self)
            return calls.control(fd, operation, descriptor, entry.baseAddress)
        }
    }
}
