import FcsynthCore

/// One client connection, owned by the event loop thread.
package final class SimulatorConnection {
    package enum Phase {
        /// Waiting for (the rest of) a request.
        case reading
        /// A chat completion is on its way: the backend, the simulated latency, or both.
        case answering(Exchange)
        /// The `hang` fault: nothing will be sent.
        case hung
        case writing
    }

    /// A chat-completion request between arrival and answer.
    package struct Exchange {
        package let id: UInt64
        package let model: String
        package let fault: SimulatorFault?
        package let keepAlive: Bool
        package let promptCharacters: Int
        /// The simulated latency in seconds, reported in `X-Fcsynth-Sim-Latency-Ms`.
        package let latency: Double
        /// The request's `service_tier`, echoed in the answer as OpenAI does.
        package let serviceTier: String?
        /// The request's `max_tokens`: a longer answer is cut there, with finish_reason `length`.
        package var maxTokens: Int?
        /// The `x-ratelimit-*` headers as the budgets stood when the request was admitted.
        package var rateLimitHeaders: [(name: String, value: String)] = []
        /// The backend's answer once it has come back.
        package var result: Result<ChatResponse, any Error>?
        /// Whether the simulated latency has passed.
        package var isDue = false

        package var isReady: Bool {
            isDue && (result != nil || !(fault?.needsBackend ?? true))
        }
    }

    package let id: UInt64
    package let fd: Int32
    package var phase = Phase.reading
    package var inbound: [UInt8] = []
    package var inboundStart = 0
    package var outbound: [UInt8] = []
    package var outboundOffset = 0
    package var fillerRemaining = 0
    package var closeAfterWrite = false
    package var watchesWritable = false

    package init(id: UInt64, fd: Int32) {
        self.id = id
        self.fd = fd
    }

    package var hasPendingOutput: Bool {
        outboundOffset < outbound.count || fillerRemaining > 0
    }

    /// Drops the bytes already parsed once they are a sizable share of the buffer.
    package func compactInbound() {
        guard inboundStart > 0, inboundStart >= inbound.count / 2 else { return }
        inbound.removeFirst(inboundStart)
        inboundStart = 0
    }
}
