import Foundation

/// A complete HTTP answer as the transfer received it, before any interpretation.
struct HTTPExchange: Sendable {
    var status: Int
    var body: Data
    /// The raw `Retry-After` header of the final response, if any.
    var retryAfter: String?
}
