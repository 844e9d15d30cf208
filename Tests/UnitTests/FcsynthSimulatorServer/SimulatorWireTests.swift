import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

/// The quick reading of request bodies leaves anything it does not read cleanly to
/// `JSONDecoder`, whose verdicts and messages stay the reference.
@Suite struct SimulatorWireTests {
    @Test(arguments: [
        #"{"model": 5, "messages": [{"role": "user", "content": "x"}]}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1.5}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "response_format": "json"}"#,
        #"{"messages": [{"content": "x"}]}"#, #"{"messages": {}}"#, "[]", "{",
    ])
    func refusesMistypedBodiesWithJSONDecodersMessage(_ body: String) {
        do {
            _ = try SimulatorWire.decode(Array(body.utf8), call: nil)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.message.hasPrefix("the body is not a chat-completion request: "))
        }
    }

    @Test func readsNullsAsAbsent() throws {
        let body =
            #"{"model": null, "temperature": null, "max_tokens": null, "response_format": null, "messages": [{"role": "user", "content": "hi"}]}"#
        let incoming = try SimulatorWire.decode(Array(body.utf8), call: "atom_task")
        #expect(incoming.model == SimulatorWire.defaultModel)
        #expect(
            incoming.request
                == ChatRequest(
                    call: "atom_task", messages: [.user("hi")], temperature: 1, maxTokens: nil, jsonMode: false))
    }
}
