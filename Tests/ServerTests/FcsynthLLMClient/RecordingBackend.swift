@testable import FcsynthCore

/// The backend of an in-process simulator that keeps every request as the server decoded it
/// off the wire, so that a test can compare it with what its client sent.
actor RecordingBackend: LLMBackend {
    private let base: any LLMBackend
    private(set) var requests: [ChatRequest] = []

    init(_ base: any LLMBackend) {
        self.base = base
    }

    nonisolated var identity: BackendIdentity { base.identity }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        requests.append(request)
        return try await base.complete(request)
    }
}
