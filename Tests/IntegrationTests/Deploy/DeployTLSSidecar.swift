import Foundation
import Testing

@testable import FcsynthCore

/// The TLS sidecar's stunnel configuration, as Compose and Kubernetes each ship it.
enum DeployTLSSidecar: String, CaseIterable, CustomStringConvertible {
    case compose
    case kubernetes

    var description: String { rawValue }

    /// compose.yaml's inline `configs.redis-tls.content` as Compose fills it in when .env
    /// leaves its variables at their defaults, or the ConfigMap's `redis.conf`.
    func configuration() throws -> StunnelConfiguration {
        let text: String?
        switch self {
        case .compose:
            let compose = try YAMLDocuments.load(DeployFiles.url("docker/compose.yaml")).first
            text = compose?["configs"]?["redis-tls"]?["content"]?.stringValue
        case .kubernetes:
            let configMap = try KubernetesManifests.load().all("ConfigMap").first { $0.name == "fcsynth-redis-tls" }
            text = configMap?.value["data"]?["redis.conf"]?.stringValue
        }
        guard let text else { throw DeployTestError(message: "\(self): no stunnel configuration for the sidecar") }
        return StunnelConfiguration(parsing: text.replacing(#/\$\{[A-Z_]+:-([^}]*)\}/#) { String($0.1) })
    }

    /// What both sidecars must do whatever Redis they reach: run in the foreground as the
    /// container's process, speak TLS 1.2 or later, and refuse a server whose certificate does
    /// not chain to the CA file or is not for the host it connects to.
    static func expectVerifying(
        _ configuration: StunnelConfiguration, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(configuration.value("foreground") == "yes", sourceLocation: sourceLocation)
        #expect(configuration.value("pid") == "", "no pid file on a read-only root", sourceLocation: sourceLocation)
        #expect(configuration.value("sslVersionMin") == "TLSv1.2", sourceLocation: sourceLocation)
        #expect(configuration.sections == ["redis"], sourceLocation: sourceLocation)
        for (key, value) in [("client", "yes"), ("verifyChain", "yes"), ("delay", "yes")] {
            #expect(configuration.value(key, in: "redis") == value, "\(key) = \(value)", sourceLocation: sourceLocation)
        }
        #expect(configuration.value("CAfile", in: "redis")?.hasPrefix("/") == true, sourceLocation: sourceLocation)
        let connect = try #require(configuration.value("connect", in: "redis"), sourceLocation: sourceLocation)
        let host = String(connect.split(separator: ":").first ?? "")
        #expect(!host.isEmpty, sourceLocation: sourceLocation)
        #expect(
            configuration.value("checkHost", in: "redis") == host, "checkHost names the host it connects to",
            sourceLocation: sourceLocation)
        #expect(configuration.value("sni", in: "redis") == host, sourceLocation: sourceLocation)
    }
}
