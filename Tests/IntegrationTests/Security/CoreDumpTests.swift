import Foundation
import TestSupport
import Testing

@testable import FcsynthSystem

/// Processes that hold keys leave no core file: the core size limit is 0, soft and hard, unless
/// `FCSYNTH_ALLOW_CORE_DUMPS=1` asks for cores to debug a crash.
@Suite struct CoreDumpTests {
    /// "Max core file size" of a process: its soft and hard limit, as /proc writes them.
    static func coreLimit(of pid: Int32) throws -> [Substring] {
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) else {
            return []
        }
        return Array(line.dropFirst("Max core file size".count).split(separator: " ").prefix(2))
    }

    func worker(_ extra: [String: String]) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        environment["FCSYNTH_REDIS_URL"] = try TestEnvironment.redis().secretText
        return try ChildProcess(
            executable: TestEnvironment.executable("fcsynth-worker"),
            arguments: ["--simulate", "--namespace", TestEnvironment.uniqueName("core")], environment: environment,
            logName: "core-worker")
    }

    /// Waits until the process has got past its first lines, where the limit is set.
    func settled(_ process: ChildProcess) async throws -> [Substring] {
        var limit = try Self.coreLimit(of: process.pid)
        for _ in 0..<100 where limit != ["0", "0"] && process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            limit = try Self.coreLimit(of: process.pid)
        }
        return limit
    }

    @Test func aWorkerForbidsCoreDumps() async throws {
        let process = try worker([:])
        let limit = try await settled(process)
        await process.terminate()
        #expect(limit == ["0", "0"], "\(limit)")
    }

    @Test func coreDumpsStayWhenAskedFor() async throws {
        let own = try Self.coreLimit(of: getpid())
        let process = try worker(["FCSYNTH_ALLOW_CORE_DUMPS": "1"])
        try await Task.sleep(for: .seconds(1))
        let limit = try Self.coreLimit(of: process.pid)
        await process.terminate()
        #expect(limit == own, "\(limit) against the test's own \(own)")
    }
}
