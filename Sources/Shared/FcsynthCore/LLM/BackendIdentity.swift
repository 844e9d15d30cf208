/// What makes a backend's answers, as records state it. Never holds a key or a password.
public struct BackendIdentity: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        case http
        case simulated
    }

    public var kind: Kind
    /// `host[:port]` of an HTTP endpoint; nil for the simulated LLM.
    public var endpoint: String?
    /// The model the backend asks for; the endpoint may report a more specific name.
    public var model: String

    public init(kind: Kind, endpoint: String? = nil, model: String) {
        self.kind = kind
        self.endpoint = endpoint
        self.model = model
    }

    /// The in-process simulated LLM.
    public static let simulated = BackendIdentity(kind: .simulated, model: "fcsynth-simulated")
}
