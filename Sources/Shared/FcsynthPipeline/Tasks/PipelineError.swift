/// Errors of the pipeline's own making, each with a message a user can act on.
public enum PipelineError: Error, Sendable, Hashable {
    case invalidRunName(String)
    case unknownRun(String)
    case settingsMismatch(run: String, detail: String)
    /// A run takes one input file: its rows' line numbers are the items' ids.
    case otherInput(run: String, enqueued: String, input: String)
    case runCancelled(String)
    case malformedTask(String)
    /// A resumed enqueue found its input other than the bytes the run's cursor was made of.
    case inputChanged(run: String, input: String, rows: Int, detail: String)
    /// While this enqueue ran, the run stopped taking its rows: another input bound it, or
    /// it was cancelled, closed or purged (`state`).
    case enqueueOverruled(run: String, reason: String)
    /// A file error ended the enqueue after `rows` rows; the run keeps them.
    case enqueueStopped(run: String, rows: Int, error: String)
    /// A cost limit on a run that stores no prices, whose spend is therefore unknown.
    case budgetWithoutPrices(String)
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
        case .inputChanged(let run, let input, let rows, let detail):
            "\(input) is not the input run \"\(run)\" took its first \(rows) rows from: \(detail). Enqueue it into a "
                + "run of its own (--run), or delete this one (fcsynth cancel --run \(run) --purge) and start again"
        case .enqueueOverruled(let run, let reason):
            "run \"\(run)\" \(reason) while this enqueue ran; it added no more rows"
        case .enqueueStopped(let run, let rows, let error):
            "\(error)\nrun \"\(run)\" keeps the rows before it (\(rows) read). Fix the file and enqueue it again to "
                + "resume after row \(rows); or finish the run with what it has: fcsynth close-input --run \(run); "
                + "or start again: fcsynth cancel --run \(run) --purge"
        case .budgetWithoutPrices(let run):
            "run \"\(run)\" stores no prices, so its spend is unknown: a cost limit needs the run enqueued with "
                + "--price-prompt-per-million and --price-completion-per-million (or use --budget-tokens)"
        }
    }
}
