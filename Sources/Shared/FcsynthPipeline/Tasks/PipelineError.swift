/// Errors of the pipeline's own making, each with a message a user can act on.
public enum PipelineError: Error, Sendable, Hashable {
    case invalidRunName(String)
    case unknownRun(String)
    case settingsMismatch(run: String, detail: String)
    /// A run takes one input file: its rows' line numbers are the items' ids.
    case otherInput(run: String, enqueued: String, input: String)
    case runCancelled(String)
    case malformedTask(String)
}

extension PipelineError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidRunName(let run):
            "invalid run name \"\(run)\": use 1-64 letters, digits, '.', '-' or '_'"
        case .unknownRun(let run):
            "no run named \"\(run)\" (fcsynth runs lists them)"
        case .settingsMismatch(let run, let detail):
            "run \"\(run)\" exists with other settings (\(detail)); resume it with the same options, or use another --run"
        case .otherInput(let run, let enqueued, let input):
            "run \"\(run)\" was enqueued from \(enqueued): enqueue \(input) into a run of its own (--run), or join the files into one"
        case .runCancelled(let run):
            "run \"\(run)\" was cancelled: fcsynth cancel --run \(run) --purge deletes it and frees the name, or use another --run"
        case .malformedTask(let reason):
            "malformed task: \(reason)"
        }
    }
}
