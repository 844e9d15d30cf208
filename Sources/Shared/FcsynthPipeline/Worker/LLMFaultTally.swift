import FcsynthCore
import Synchronization

/// Counts failed LLM attempts by kind, retried or not, and successful calls whose reply is not
/// the bare JSON object every stage asks for, until the worker flushes them to the fleet-wide
/// stats hash.
public final class LLMFaultTally: LLMCallObserver {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    public func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        counts.withLock { $0["llm_faults:\(error.kind)", default: 0] += 1 }
    }

    public func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        let fault = Self.replyFault(response.content)
        counts.withLock { counts in
            counts["llm_calls", default: 0] += 1
            if let fault { counts["llm_faults:\(fault)", default: 0] += 1 }
        }
    }

    /// The counts since the last call, and zero from now on.
    public func drain() -> [String: Int] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }

    /// Puts back counts that could not be written, so that the next flush carries them.
    public func restore(_ unwritten: [String: Int]) {
        guard !unwritten.isEmpty else { return }
        counts.withLock { $0.merge(unwritten, uniquingKeysWith: +) }
    }

    /// `reply_in_prose` when the object sits in prose or a code fence (the stage takes it out),
    /// `reply_not_json` when there is none to read (the stage asks again). A reply shaped like a
    /// bare object is not parsed here: that would double the parsing of every healthy reply.
    package static func replyFault(_ content: String) -> String? {
        let bytes = content.utf8
        if bytes.first(where: { !JSONScanner.isWhitespace($0) }) == UInt8(ascii: "{"),
            bytes.last(where: { !JSONScanner.isWhitespace($0) }) == UInt8(ascii: "}")
        {
            return nil
        }
        do {
            _ = try ReplyExtraction.jsonObject(in: content)
            return "reply_in_prose"
        } catch {
            return "reply_not_json"
        }
    }
}
