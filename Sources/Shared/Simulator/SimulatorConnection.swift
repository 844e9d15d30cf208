/// One client connection, owned by the event loop thread.
final class SimulatorConnection {
    enum Phase {
        /// Waiting for (the rest of) a request.
        case reading
        /// A chat completion is on its way: the backend, the simulated latency, or both.
        case answering(Exchange)
        /// The `hang` fault: nothing will be sent.
        case hung
        case writing
    }

    /// A chat-completion request between arrival and answer.
    struct Exchange {
        let id: UInt64
        let model: String
        let fault: SimulatorFault?
        let keepAlive: Bool
        let promptCharacters: Int
        /// The simulated latency in seconds, reported in `X-Fcsynth-Sim-Latency-Ms`.
        let latency: Double
        /// The backend's answer once it has come back.
        var result: Result<ChatResponse, any Error>?
        /// Whether the simulated latency has passed.
        var isDue = false

        var isReady: Bool {
            isDue && (result != nil || !(fault?.needsBackend ?? true))
        }
    }

    let id: UInt64
    let fd: Int32
    var phase = Phase.reading
    var inbound: [UInt8] = []
    var inboundStart = 0
    var outbound: [UInt8] = []
    var outboundOffset = 0
    var fillerRemaining = 0
    var closeAfterWrite = false
    var watchesWritable = false

    init(id: UInt64, fd: Int32) {
        self.id = id
        self.fd = fd
    }

    var hasPendingOutput: Bool {
        outboundOffset < outbound.count || fillerRemaining > 0
    }

    /// Drops the bytes already parsed once they are a sizable share of the buffer.
    func compactInbound() {
        guard inboundStart > 0, inboundStart >= inbound.count / 2 else { return }
        inbound.removeFirst(inboundStart)
        inboundStart = 0
    }
}
