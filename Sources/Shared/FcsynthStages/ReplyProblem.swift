/// Why a reply cannot be used: told to the model in a correction round, and named in the
/// filter reason when the corrections run out.
package struct ReplyProblem: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
