import CSpawn
import Foundation

/// A process fcsynth or a test starts and must stop: by its own PID, never by name. Spawned and
/// reaped with posix_spawn and waitpid, so its exit is seen the moment it happens.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// Where stdout and stderr go.
    public let logURL: URL
    private let lock = NSLock()
    private var exitStatus: Int32?

    public convenience init(
        executable: URL, arguments: [String], environment: [String: String]? = nil, logName: String
    ) throws {
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fcsynth-\(logName)-\(UUID().uuidString.prefix(8)).log")
        try self.init(executable: executable, arguments: arguments, environment: environment, logURL: logURL)
    }

    public init(executable: URL, arguments: [String], environment: [String: String]? = nil, logURL: URL) throws {
        self.logURL = logURL
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours leaks into the child: a socket it inherited would stay open
        // after we close it, and the peer would never see it go.
        fcsynth_spawn_close_from(&actions, 3)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in env { free(pointer) }
        }
        // The child starts with no blocked signals and default dispositions: a test runner's
        // blocked SIGTERM would otherwise be inherited and make the child unstoppable.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var child: pid_t = 0
        let status = posix_spawn(&child, executable.path, &actions, &attributes, argv, env)
        guard status == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL)
        }
        pid = child
    }

    public var isRunning: Bool { reap(blocking: false) == nil }

    /// The exit status, or 128 + the signal that ended it.
    public var terminationStatus: Int32? { reap(blocking: false) }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL if it has not gone after `grace` seconds. Returns the exit status.
    @discardableResult
    public func stop(grace: Double = 5) -> Int32 {
        signal(SIGTERM)
        if !waitForExit(timeout: grace) {
            signal(SIGKILL)
            return reap(blocking: true) ?? -1
        }
        return terminationStatus ?? -1
    }

    /// True if the process ended within `timeout` seconds.
    public func waitForExit(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while isRunning && Date() < deadline {
            usleep(10_000)
        }
        return !isRunning
    }

    /// Like `waitForExit`, for async code: it sleeps without holding a thread of the
    /// cooperative pool, which has only as many threads as cores.
    public func exited(within timeout: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isRunning
    }

    /// Like `stop`, for async code.
    @discardableResult
    public func terminate(grace: Double = 5) async -> Int32 {
        signal(SIGTERM)
        if await !exited(within: grace) {
            signal(SIGKILL)
            return reap(blocking: true) ?? -1
        }
        return terminationStatus ?? -1
    }

    public var output: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        guard waitpid(pid, &status, blocking ? 0 : WNOHANG) == pid else { return nil }
        let signalled = status & 0x7f
        exitStatus = signalled == 0 ? (status >> 8) & 0xff : 128 + signalled
        return exitStatus
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }
}
