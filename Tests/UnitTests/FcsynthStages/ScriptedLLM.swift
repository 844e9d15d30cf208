@testable import FcsynthCore

/// A test model that answers with queued replies, in order, and records every request.
/// Running out of replies is an error, so a stage that asks more often than a test expects fails.
actor ScriptedLLM: LLMBackend {
    struct OutOfReplies: Error {}

    private var replies: [ChatResponse]
    private(set) var requests: [ChatRequest] = []

    init(_ replies: [String]) {
        self.replies = replies.map {
            ChatResponse(content: $0, usage: TokenUsage(promptTokens: 10, completionTokens: 5))
        }
    }

    init(responses: [ChatResponse]) {
        replies = responses
    }

    nonisolated var identity: BackendIdentity {
        BackendIdentity(kind: .http, endpoint: "scripted.test", model: "scripted")
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        requests.append(request)
        guard !replies.isEmpty else { throw OutOfReplies() }
        return replies.removeFirst()
    }
}

/// A model that always fails, to check that stages pass model errors on.
struct FailingLLM: LLMBackend {
    var error: LLMError

    var identity: BackendIdentity { BackendIdentity(kind: .http, endpoint: "failing.test", model: "failing") }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        throw error
    }
}

/// Wraps a backend and records which calls were made, for header checks.
actor RecordingLLM: LLMBackend {
    let base: any LLMBackend
    private(set) var calls: [String: Int] = [:]
    private(set) var jsonModes: Set<Bool> = []

    init(_ base: any LLMBackend) {
        self.base = base
    }

    nonisolated var identity: BackendIdentity { base.identity }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        calls[request.call, default: 0] += 1
        jsonModes.insert(request.jsonMode)
        return try await base.complete(request)
    }
}
