/// Why a row's turns cannot be rendered into a seed chat.
package struct SeedTranscriptError: Error, Sendable, Hashable {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }
}
