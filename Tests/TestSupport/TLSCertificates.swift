import FcsynthSystem
import Foundation

/// A certificate authority made for one test, and a server certificate it signed for
/// `localhost` and 127.0.0.1, written by openssl into a folder of their own.
public final class TLSCertificates: Sendable {
    public let directory: URL
    public var authority: URL { directory.appendingPathComponent("ca.crt") }
    public var serverCertificate: URL { directory.appendingPathComponent("server.crt") }
    public var serverKey: URL { directory.appendingPathComponent("server.key") }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(name: String = "fcsynth test CA") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("fcsynth-tls"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.path
        try Self.openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name)",
            "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.crt",
        ])
        try Self.openssl([
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "\(path)/server.key", "-out", "\(path)/server.csr",
        ])
        try "subjectAltName = DNS:localhost, IP:127.0.0.1\n".write(
            to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try Self.openssl([
            "x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.crt", "-CAkey", "\(path)/ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "\(path)/server.ext", "-out", "\(path)/server.crt",
        ])
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func openssl(_ arguments: [String]) throws {
        let child = try ChildProcess(
            executable: URL(fileURLWithPath: "/usr/bin/openssl"), arguments: arguments, logName: "openssl")
        defer { try? FileManager.default.removeItem(at: child.logURL) }
        guard child.waitForExit(timeout: 60), child.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(child.output)")
        }
    }
}
