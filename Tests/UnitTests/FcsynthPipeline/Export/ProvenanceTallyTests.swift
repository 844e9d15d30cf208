import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

@Suite struct ProvenanceTallyTests {
    private static func record(_ provenance: Provenance?) -> ConversationRecord {
        ConversationRecord(
            id: "1", messages: [], tools: [], functions: [],
            lineage: Lineage(
                run: "r", line: 1, itemId: "1", scenario: "", atomTask: "",
                compositionMode: .sequential, compositionTask: "", subTasks: [],
                provenance: provenance),
            usage: TokenUsage())
    }

    private static func provenance(_ backend: BackendIdentity.Kind, _ models: [String: String]) -> Provenance {
        Provenance(
            backend: backend, endpoint: backend == .http ? "api.example" : nil, models: models,
            fcsynthVersion: "0", promptVersion: "p0")
    }

    @Test func countsRecordsByBackendAndByEachModelOnce() {
        var tally = ProvenanceTally()
        tally.count(
            Self.record(Self.provenance(.http, ["conv_user": "gpt-x", "conv_tool": "gpt-x", "judge": "judge-y"])))
        tally.count(Self.record(Self.provenance(.http, ["conv_user": "gpt-x"])))
        tally.count(Self.record(Self.provenance(.simulated, ["conv_user": "fcsynth-simulated"])))
        tally.count(Self.record(Self.provenance(.http, ["conv_user": "fcsynth-simulated/local"])))
        tally.count(Self.record(nil))
        #expect(tally.models == ["gpt-x": 2, "judge-y": 1, "fcsynth-simulated": 1, "fcsynth-simulated/local": 1])
        #expect(tally.backends == ["http": 2, "simulated": 2, "unknown": 1])
    }

    @Test func onlyRecordsThatStateARealBackendAreReal() {
        #expect(ProvenanceTally.isReal(Self.record(Self.provenance(.http, ["conv_user": "gpt-x"]))))
        #expect(!ProvenanceTally.isReal(Self.record(Self.provenance(.simulated, ["conv_user": "fcsynth-simulated"]))))
        // An HTTP endpoint that is the simulator says so in the model it reports.
        #expect(!ProvenanceTally.isReal(Self.record(Self.provenance(.http, ["conv_user": "fcsynth-simulated/m"]))))
        #expect(!ProvenanceTally.isReal(Self.record(nil)))
    }
}
