import FcsynthSystem
import Foundation

/// stunnel (Debian's stunnel4) run in the foreground with a configuration a test gives it, as
/// the TLS sidecar runs beside a worker; stopped by its PID.
public final class StunnelProcess: @unchecked Sendable {
    public let directory: URL
    private let child: ChildProcess

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whether Debian's stunnel4 is installed (scripts/test installs it).
    public static var isAvailable: Bool { executable != nil }

    private static var executable: URL? {
        ["/usr/bin/stunnel4", "/usr/bin/stunnel", "/usr/local/bin/stunnel"].map(URL.init(fileURLWithPath:)).first {
            FileManager.default.isExecutableFile(atPath: $0.path)
        }
    }

    /// Starts stunnel with `configuration` (which must keep it in the foreground) and waits
    /// until it accepts connections on the loopback port `listening`.
    public init(configuration: String, listening port: Int) throws {
        guard let executable = Self.executable else { throw Failure(description: "stunnel4 is not installed") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("fcsynth-stunnel"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("stunnel.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        child = try ChildProcess(
            executable: executable, arguments: [file.path], logURL: directory.appendingPathComponent("stunnel.log"))
        guard Ports.waitUntilListening(port, timeout: 20), child.isRunning else {
            child.stop(grace: 1)
            throw Failure(description: "stunnel did not listen on \(port): \(child.output)")
        }
    }

    /// What stunnel logged: each connection, and why a certificate was refused.
    public var output: String { child.output }

    public func stop() {
        child.stop()
    }

    deinit {
        child.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
