/// The pipeline's stages, in pipeline order. The raw value names the stage's Redis queue,
/// goes out as the `X-Fcsynth-Stage` header, and appears in logs, status and metrics.
public enum StageName: String, Codable, Sendable, CaseIterable, Hashable {
    case scenarioExtract = "scenario_extract"
    case scenarioExpand = "scenario_expand"
    case atomTask = "atom_task"
    case sequentialTask = "sequential_task"
    case paraSeqTask = "para_seq_task"
    case compositionFilter = "composition_filter"
    case functionGen = "function_gen"
    case conversation
    /// Scores each finished conversation; runs only when the run judges (`PipelineSettings.judge`).
    case judge
}
