import Foundation
import Testing

@testable import FcsynthSystem

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The metrics listener: loopback unless told otherwise, and a clear error for an address it
/// cannot use.
@Suite struct MetricsServerTests {
    @Test func servesOnLoopbackByDefault() async throws {
        let server = try MetricsServer(port: 0, render: { "fcsynth_tasks_in_flight 0\n" })
        let (data, response) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(server.port)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "fcsynth_tasks_in_flight 0\n")
    }

    @Test func refusesAnAddressThatIsNotIPv4() {
        #expect(throws: MetricsServerError.cannotListen(host: "localhost:9", port: 0, reason: "not an IPv4 address")) {
            _ = try MetricsServer(host: "localhost:9", port: 0, render: { "" })
        }
    }
}
