import FcsynthCore
import Foundation

/// A complete HTTP answer as the transfer received it, before any interpretation.
package struct HTTPExchange: Sendable {
    package var status: Int
    package var body: Data
    /// The raw `Retry-After` header of the final response, if any.
    package var retryAfter: String?
    /// The `x-ratelimit-*` headers of the final response.
    package var rateLimits = RateLimitHeaders()
}
