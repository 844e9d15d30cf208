import Foundation
import Testing

@testable import FcsynthSimulatedLLM
@testable import FcsynthSimulatorServer

/// `SimulatorServer` embedded in the test process, as benchmarks and tests without the binary use it.
@Suite struct SimulatorInProcessTests {
    @Test func servesUntilStoppedThenReleasesThePort() async throws {
        let server = SimulatorServer(options: .loopback(latency: .fixed(milliseconds: 20)), backend: SimulatedLLM())
        let port = try server.start()
        #expect(server.port == port)
        #expect(server.baseURL == "http://127.0.0.1:\(port)/v1")
        #expect(throws: SimulatorServerError.alreadyStarted) { try server.start() }

        let response = try await offPool {
            try RawHTTPClient(port: port).request("POST", "/v1/chat/completions", body: chatBody("in process"))
        }
        #expect(response.status == 200)
        #expect(try response.json()["object"]?.stringValue == "chat.completion")

        // A client mid-request when the server stops sees its connection closed.
        let waiting = try await offPool { () -> Handoff<RawHTTPClient> in
            let client = try RawHTTPClient(port: port)
            try client.send("POST", "/v1/chat/completions", body: chatBody("cut off [[sim:hang]]"))
            return Handoff(value: client)
        }
        server.stop()
        #expect(server.port == nil)
        let cutOff = try await offPool { Result { try waiting.value.receive() } }
        #expect(throws: RawHTTPClient.Failure.closed(received: 0)) { try cutOff.get() }
        #expect(throws: RawHTTPClient.Failure.system("connect", ECONNREFUSED)) { try RawHTTPClient(port: port) }
    }

    @Test func refusesAPortInUse() throws {
        let first = SimulatorServer()
        let port = try first.start()
        defer { first.stop() }
        let second = SimulatorServer(options: .loopback(port: port))
        #expect(throws: SimulatorServerError.self) { try second.start() }
    }
}
