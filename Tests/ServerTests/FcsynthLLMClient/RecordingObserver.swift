import Foundation

@testable import FcsynthCore

/// Keeps every event the client reports, for assertions.
final class RecordingObserver: LLMCallObserver, @unchecked Sendable {
    struct Failure {
        let call: String
        let error: LLMError
        let willRetry: Bool
    }

    private let lock = NSLock()
    private var failures: [Failure] = []
    private var finished: [(call: String, attempts: Int)] = []

    func llmAttemptFailed(call: String, error: LLMError, willRetry: Bool) {
        lock.withLock { failures.append(Failure(call: call, error: error, willRetry: willRetry)) }
    }

    func llmCallFinished(call: String, response: ChatResponse, attempts: Int) {
        lock.withLock { finished.append((call, attempts)) }
    }

    var failedAttempts: [Failure] { lock.withLock { failures } }
    var finishedAttempts: [Int] { lock.withLock { finished.map(\.attempts) } }
}
