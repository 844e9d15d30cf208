import FcsynthCore
import Foundation
import Synchronization

/// One task's stored LLM answers (`fcsynth:{RUN}:replay:TID`), as its attempt found them,
/// and what the attempt did with them. Fields: `a:HASH` the answer, `c:HASH` present once a
/// hand-off counted that answer's tokens.
package final class ReplayBook: Sendable {
    package static let answerPrefix = "a:"
    package static let countedPrefix = "c:"

    private struct State {
        var answers: [String: StoredReply]
        var counted: Set<String>
        var occurrences: [String: Int] = [:]
        var tally = ReplayTally()
        /// Fresh answers for the response cache, stored once the stage accepts them.
        var forCache: [(key: String, reply: StoredReply)] = []
    }

    private let state: Mutex<State>

    /// `fields` as HGETALL returns them; unreadable answers are skipped (asked again).
    package init(fields: [String: Data] = [:]) {
        var answers: [String: StoredReply] = [:]
        var counted: Set<String> = []
        for (field, value) in fields {
            if field.hasPrefix(Self.answerPrefix), let reply = try? JSONCoding.decode(StoredReply.self, from: value) {
                answers[String(field.dropFirst(Self.answerPrefix.count))] = reply
            } else if field.hasPrefix(Self.countedPrefix) {
                counted.insert(String(field.dropFirst(Self.countedPrefix.count)))
            }
        }
        state = Mutex(State(answers: answers, counted: counted))
    }

    package var tally: ReplayTally { state.withLock { $0.tally } }

    /// The fresh answers of this attempt, in the order they came, for the response cache.
    package var answersForCache: [(key: String, reply: StoredReply)] { state.withLock { $0.forCache } }

    /// An answer the response cache gave: it saved the call and its tokens.
    package func recordCached(_ reply: StoredReply) {
        state.withLock { state in
            state.tally.cachedCalls += 1
            state.tally.savedUsage = state.tally.savedUsage + reply.usage
        }
    }

    /// A fresh answer that the response cache should keep if the stage accepts it.
    package func offerToCache(_ key: String, _ reply: StoredReply) {
        state.withLock { $0.forCache.append((key, reply)) }
    }

    /// The request's key for this attempt (its hash, and the how-many-th time the attempt asks
    /// it, so that a stage asking the same thing twice on purpose gets both answers again),
    /// and its stored answer.
    package func lookUp(_ request: ChatRequest, model: String) -> (key: String, reply: StoredReply?) {
        let hash = ReplayRequestHash.of(request, model: model)
        return state.withLock { state in
            let occurrence = state.occurrences[hash, default: 0]
            state.occurrences[hash] = occurrence + 1
            let key = "\(hash)#\(occurrence)"
            guard let reply = state.answers[key] else { return (key, nil) }
            state.tally.replayedCalls += 1
            state.tally.savedUsage = state.tally.savedUsage + reply.usage
            if !state.counted.contains(key) {
                Self.addUncounted(
                    key, reply.usage, estimated: reply.usageEstimated == true, milliseconds: reply.milliseconds,
                    to: &state.tally)
                if reply.batch == true {
                    state.tally.batchCalls += 1
                    state.tally.batchUsage = state.tally.batchUsage + reply.usage
                }
            }
            state.tally.lastField = Self.answerPrefix + key
            return (key, reply)
        }
    }

    /// A fresh answer, paid for now; `key` nil when the run keeps no replies.
    package func recordFresh(_ key: String?, usage: TokenUsage, estimated: Bool, milliseconds: Int) {
        state.withLock { state in
            state.tally.uncountedCalls += 1
            state.tally.uncountedUsage = state.tally.uncountedUsage + usage
            state.tally.uncountedMilliseconds += milliseconds
            if estimated { state.tally.estimatedTokens += usage.totalTokens }
            if let key {
                state.tally.uncountedFields.append(Self.countedPrefix + key)
                state.tally.lastField = Self.answerPrefix + key
            }
        }
    }

    private static func addUncounted(
        _ key: String, _ usage: TokenUsage, estimated: Bool, milliseconds: Int, to tally: inout ReplayTally
    ) {
        tally.uncountedCalls += 1
        tally.uncountedUsage = tally.uncountedUsage + usage
        tally.uncountedMilliseconds += milliseconds
        if estimated { tally.estimatedTokens += usage.totalTokens }
        tally.uncountedFields.append(countedPrefix + key)
    }
}
