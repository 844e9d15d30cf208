import Foundation

/// One task a claim took: its envelope as stored, and whether an earlier attempt may have left
/// answers in its replay hash (its tid is in the run's `answered` set). Only then is the hash
/// read, so that a first attempt costs no round trip for it.
public struct ClaimedEntry: Sendable, Equatable {
    public var entry: Data
    public var mayHoldAnswers: Bool

    public init(entry: Data, mayHoldAnswers: Bool) {
        self.entry = entry
        self.mayHoldAnswers = mayHoldAnswers
    }
}
