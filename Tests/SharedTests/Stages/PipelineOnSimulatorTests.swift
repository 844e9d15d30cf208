import Testing
@testable import Shared

@Suite struct PipelineOnSimulatorTests {
    static func seeds(_ count: Int) -> [WorkItem] {
        (1...count).map { WorkItem(id: "\($0)", line: $0, seed: "user: seed chat number \($0)\nassistant: sure") }
    }

    @Test func smoke() async throws {
        let run = try await StageRunner().run(Self.seeds(20))
        print(run.records.count, run.filtered, run.retried, run.steps)
        #expect(!run.records.isEmpty)
        if let record = run.records.first { print(try JSONCoding.encodeString(record)) }
    }
}
