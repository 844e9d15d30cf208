import Foundation
import TestSupport

/// A child whose wall clock is off by a fixed amount, as on a host whose time sync failed,
/// through libfaketime (Debian's `faketime`, which scripts/test installs). Only the real-time
/// clock moves: sleeps, timeouts and a worker's periods go by the monotonic one, which stays true.
enum FakeClock {
    /// `base` with libfaketime preloaded and the wall clock moved by `seconds`. Fails, rather
    /// than skips, where libfaketime or a C compiler is missing; builds its timer fix in `scratch`.
    static func environment(skew seconds: Int, base: [String: String], scratch: URL) throws -> [String: String] {
        guard let library else {
            throw FixtureFailure("libfaketime.so.1 is not installed: apt-get install faketime (scripts/test does)")
        }
        var environment = base
        let preload = [try timerFix(in: scratch).path, library.path] + [base["LD_PRELOAD"]].compactMap { $0 }
        environment["LD_PRELOAD"] = preload.joined(separator: ":")
        environment["FAKETIME"] = seconds < 0 ? "\(seconds)s" : "+\(seconds)s"
        environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        // Swift finds a program's arguments by walking back from `environ` on the initial stack.
        // libfaketime's constructor sets this variable, which would move `environ` to the heap
        // (the worker would see no arguments), unless the variable is there to be overwritten.
        // A name that does not exist makes libfaketime create its own shared state, as without it.
        environment["FAKETIME_SHARED"] = "/fcsynth_unset /fcsynth_unset"
        return environment
    }

    /// The library in whichever multiarch folder of /usr/lib holds it.
    private static var library: URL? {
        let root = URL(fileURLWithPath: "/usr/lib")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return folders.sorted().map { root.appendingPathComponent("\($0)/faketime/libfaketime.so.1") }.first {
            FileManager.default.fileExists(atPath: $0.path)
        }
    }

    /// `fake_clock_timers.c` built as a library to preload before libfaketime, with the
    /// toolchain's clang (or the system's cc).
    private static func timerFix(in scratch: URL) throws -> URL {
        let source = TestEnvironment.repository.appendingPathComponent(
            "Tests/IntegrationTests/Pipeline/fake_clock_timers.c")
        let output = scratch.appendingPathComponent("fake_clock_timers.so")
        guard let compiler = SystemTool(named: "clang") ?? SystemTool(named: "cc") else {
            throw FixtureFailure("no C compiler (clang or cc) on PATH to build \(source.lastPathComponent)")
        }
        let result = try compiler.run(["-shared", "-fPIC", "-O2", "-o", output.path, source.path, "-ldl"])
        guard result.status == 0 else {
            throw FixtureFailure("\(source.lastPathComponent) did not compile: \(result.standardError)")
        }
        return output
    }
}
