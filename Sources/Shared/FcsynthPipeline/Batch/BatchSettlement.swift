import FcsynthCore
import FcsynthRedis
import Foundation

/// What becomes of one request of a finished batch (`settle_batch.lua`).
package struct BatchSettlement: Sendable {
    package enum Outcome: Sendable {
        /// The answer, stored where the task's next attempt replays it.
        case answer(StoredReply)
        /// Failed or expired: into the next round, one attempt more.
        case retry(ParkedRequest)
        /// Failed past the attempt limit: the task is dead, with this record.
        case fail(RemovedItem)
    }

    package var request: ParkedRequest
    package var outcome: Outcome

    package init(request: ParkedRequest, outcome: Outcome) {
        self.request = request
        self.outcome = outcome
    }

    package var tid: String { request.tid }

    func append(to arguments: inout [any RedisArgument]) {
        switch outcome {
        case .answer(let reply):
            let value = (try? JSONCoding.encode(reply)) ?? Data()
            arguments +=
                [
                    "answer", request.id, request.tid, request.stage.rawValue, ReplayBook.answerPrefix + request.key,
                    value,
                ] as [any RedisArgument]
        case .retry(let next):
            arguments += ["retry", request.id, (try? next.member()) ?? Data()] as [any RedisArgument]
        case .fail(let record):
            arguments +=
                [
                    "fail", request.id, request.tid, request.stage.rawValue, (try? JSONCoding.encode(record)) ?? Data(),
                ] as [any RedisArgument]
        }
    }
}
