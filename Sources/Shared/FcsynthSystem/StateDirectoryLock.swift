import Foundation

/// An exclusive hold on a state folder (`flock` on a file in it), released when the holder
/// exits however it exits. The descriptor is close-on-exec, so that the children it starts
/// (a private redis-server among them) do not keep the folder locked after it is gone.
public final class StateDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Nil when another process holds it.
    public init?(directory: URL) throws {
        let path = directory.appendingPathComponent("lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StateDirectoryLockError(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    /// Whether a process with this PID exists (it may belong to another user).
    public static func isAlive(pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    deinit {
        close(descriptor)
    }
}

/// A state folder whose lock file cannot be opened.
public struct StateDirectoryLockError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot lock \(path): \(reason)" }
}
