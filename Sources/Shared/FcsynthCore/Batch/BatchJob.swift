/// A batch as the provider describes it.
public struct BatchJob: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case validating, failed
        case inProgress = "in_progress"
        case finalizing, completed, expired, cancelling, cancelled

        /// The provider will change nothing more: its output and error files are final.
        public var isFinal: Bool {
            switch self {
            case .completed, .failed, .expired, .cancelled: true
            case .validating, .inProgress, .finalizing, .cancelling: false
            }
        }
    }

    public var id: String
    public var status: Status
    public var outputFileID: String?
    public var errorFileID: String?
    public var metadata: [String: String]
    /// Why the provider refused the whole batch (`errors.data[].message`), when it did.
    public var errors: [String]

    public init(
        id: String, status: Status, outputFileID: String? = nil, errorFileID: String? = nil,
        metadata: [String: String] = [:], errors: [String] = []
    ) {
        self.id = id
        self.status = status
        self.outputFileID = outputFileID
        self.errorFileID = errorFileID
        self.metadata = metadata
        self.errors = errors
    }
}
