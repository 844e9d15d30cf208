import FcsynthSystem
import Foundation
import TestSupport
import Testing

@testable import FcsynthRedis

/// The TLS sidecar for real: a redis-server that speaks TLS alone (its certificate signed by a
/// CA made for the test), stunnel run with the configuration deploy/ ships (only its addresses,
/// CA file and host name changed to the test's), and fcsynth through its plain local end.
@Suite(
    .enabled(if: StunnelProcess.isAvailable, "needs Debian's stunnel4 (scripts/test installs it)"),
    .enabled(if: YAMLDocuments.isAvailable, "\(YAMLDocuments.unavailableReason)"))
struct RedisTLSSidecarTests {
    static let password = "tls-tunnel-pw-91d2"

    @Test(arguments: DeployTLSSidecar.allCases)
    func aRunCompletesThroughTheSidecar(_ sidecar: DeployTLSSidecar) async throws {
        let certificates = try TLSCertificates()
        let server = try RedisServerProcess(password: Self.password, tls: certificates)
        let tunnel = try Self.tunnel(sidecar, to: server, trusting: certificates)
        defer { tunnel.stunnel.stop() }

        let fixture = try PipelineFixture(url: tunnel.url, server: server)
        let run = "tls"
        try await fixture.enqueue(try SeedRows.write(20, to: fixture.file("rows.jsonl")), run: run)
        let worker = try fixture.startWorker(runs: [run])
        let status = try await fixture.waitUntilComplete(run)
        status.expectAccounted()
        #expect(status.output > 0)
        #expect(try await fixture.stop(worker) == 0)
        #expect(tunnel.stunnel.output.contains("Certificate accepted"), "\(tunnel.stunnel.output)")
    }

    /// A server whose certificate another CA signed is refused by the sidecar, and fcsynth says
    /// Redis is unavailable rather than talking to it.
    @Test func theSidecarRefusesAServerItCannotVerify() async throws {
        let certificates = try TLSCertificates()
        let stranger = try TLSCertificates(name: "some other CA")
        let server = try RedisServerProcess(password: Self.password, tls: certificates)
        let tunnel = try Self.tunnel(.kubernetes, to: server, trusting: stranger)
        defer { tunnel.stunnel.stop() }

        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = tunnel.url.secretText
        let status = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"), arguments: ["status"], environment: environment,
            logName: "tls-refused")
        #expect(await status.exited(within: 60))
        #expect(status.terminationStatus != 0)
        #expect(status.output.contains("Redis"), "\(status.output)")
        #expect(!status.output.contains(Self.password))
        #expect(tunnel.stunnel.output.contains("certificate verify failed"), "\(tunnel.stunnel.output)")
    }

    @Test func aRedissURLIsRefusedWithTheWayToTheSidecar() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["FCSYNTH_REDIS_URL"] = "rediss://:\(Self.password)@redis.example.com:6380"
        let status = try ChildProcess(
            executable: TestEnvironment.executable("fcsynth"), arguments: ["status"], environment: environment,
            logName: "rediss")
        #expect(await status.exited(within: 30))
        #expect(status.terminationStatus != 0)
        #expect(
            status.output.contains("stunnel sidecar") && status.output.contains("deploy/README.md"), "\(status.output)")
        #expect(!status.output.contains(Self.password))
    }

    /// stunnel with the sidecar's configuration, accepting on a free loopback port and reaching
    /// `server` as `localhost`, trusting the CA of `trusted`.
    private static func tunnel(
        _ sidecar: DeployTLSSidecar, to server: RedisServerProcess, trusting trusted: TLSCertificates
    ) throws -> (stunnel: StunnelProcess, url: RedisURL) {
        let local = Ports.free()
        let configuration = try sidecar.configuration().replacing(
            [
                "accept": "127.0.0.1:\(local)", "connect": "127.0.0.1:\(server.port)",
                "CAfile": trusted.authority.path, "checkHost": "localhost", "sni": "localhost",
            ], in: "redis")
        let stunnel = try StunnelProcess(configuration: configuration, listening: local)
        return (stunnel, RedisURL(host: "127.0.0.1", port: local, password: password))
    }
}
