import FcsynthCore
import Foundation

/// A request a parked task waits on, as batch mode keeps it from `pending` through a batch
/// until its answer goes into the task's replay hash.
package struct ParkedRequest: Codable, Sendable, Hashable {
    package var tid: String
    package var stage: StageName
    /// The answer's field in the task's replay hash, without its prefix: `HASH#N`.
    package var key: String
    /// Batches that failed or expired this request so far.
    package var attempts = 0
    /// The provider's error the last time, for the record when the task dies.
    package var lastError: String?
    package var request: ChatRequest

    package init(tid: String, stage: StageName, key: String, request: ChatRequest) {
        self.tid = tid
        self.stage = stage
        self.key = key
        self.request = request
    }

    /// Unique in the run: one task waits on one request at a time.
    package var id: String { tid + "|" + key }

    /// The call name first: a provider routes nothing by it, but the simulator, which answers
    /// by stage, reads it there, as it reads `X-Fcsynth-Stage` online.
    package var customID: String { request.call + "/" + id }

    /// The request id in a custom id, nil when it is not one of ours.
    package static func id(inCustomID customID: String) -> String? {
        guard let slash = customID.firstIndex(of: "/") else { return nil }
        let id = customID[customID.index(after: slash)...]
        return id.isEmpty ? nil : String(id)
    }

    /// As `pending` and `batched:BATCH` store it: the id, a newline, then the JSON, so that the
    /// scripts find the id without decoding JSON.
    package func member() throws -> Data {
        Data((id + "\n").utf8) + (try JSONCoding.encode(self))
    }

    package static func read(member: Data) throws -> ParkedRequest {
        guard let newline = member.firstIndex(of: UInt8(ascii: "\n")) else {
            throw PipelineError.malformedTask("a batch request without its id line")
        }
        return try JSONCoding.decode(ParkedRequest.self, from: member[member.index(after: newline)...])
    }

    package enum CodingKeys: String, CodingKey {
        case tid, stage, key, attempts, request
        case lastError = "last_error"
    }
}
