/// Why a reply cannot be used: told to the model in a correction round, and named in the
/// filter reason when the corrections run out.
struct ReplyProblem: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
