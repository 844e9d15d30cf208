/// How much one batch may hold. OpenAI's: 50,000 requests and 200 MB a file.
public struct BatchLimits: Sendable, Hashable {
    public var maxRequests: Int
    public var maxBytes: Int

    public init(maxRequests: Int, maxBytes: Int) {
        self.maxRequests = maxRequests
        self.maxBytes = maxBytes
    }

    public static let openAI = BatchLimits(maxRequests: 50_000, maxBytes: 200 * 1_000_000)
}
