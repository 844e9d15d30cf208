@testable import FcsynthPipeline

extension RunStatus {
    /// Tasks finished across all stages: it grows whenever the run makes progress.
    var tasksDone: Int { stages.values.reduce(0) { $0 + $1.done } }

    var tasksInFlight: Int { stages.values.reduce(0) { $0 + $1.inFlight } }

    /// A fleet-wide fault count, `kind` as in `LLMError.kind`.
    func llmFaults(_ kind: String) -> Int { llmFaults["llm_faults:\(kind)"] ?? 0 }
}
