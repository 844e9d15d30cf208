/// One batch of a run, as `fcsynth:{RUN}:batches` keeps it from its draft until it is settled.
package struct BatchRecord: Codable, Sendable, Hashable {
    package enum State: String, Codable, Sendable {
        /// Its requests are chosen; the provider may or may not have it (a leader may have died
        /// between creating it and recording it), so the next leader looks before it submits.
        case drafting
        case submitted
    }

    package var state: State
    package var requests: Int
    /// Redis's clock, ms since 1970.
    package var draftedAt: Int
    package var providerID: String?
    package var inputFileID: String?
    package var submittedAt: Int?

    package enum CodingKeys: String, CodingKey {
        case state, requests
        case draftedAt = "drafted_at"
        case providerID = "provider_id"
        case inputFileID = "input_file_id"
        case submittedAt = "submitted_at"
    }
}
