/// An export that ended with fewer conversations than the run's `output` counter: entries were
/// trimmed from the stream before this export read them.
public struct ExportShortfall: Error, Hashable, CustomStringConvertible {
    public var handled: Int
    public var output: Int

    public var description: String {
        "exported \(handled) of the run's \(output) conversations: \(output - handled) were trimmed from the output "
            + "stream before this export read them (an export --follow to another destination acknowledged them, or "
            + "the stream was trimmed by hand); read them from that destination's file, or start every "
            + "export --follow before any of them writes"
    }
}
