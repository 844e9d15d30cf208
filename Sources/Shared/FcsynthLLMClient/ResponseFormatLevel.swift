import FcsynthCore

/// How much of `response_format` an endpoint takes, from the most to none. A 400 that rejects
/// the format moves the client one level down, for every later call.
package enum ResponseFormatLevel: Int, Comparable, Sendable {
    case jsonSchema
    case jsonObject
    case off

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    package var next: ResponseFormatLevel? { ResponseFormatLevel(rawValue: rawValue + 1) }

    /// The most a request asks for.
    package init(asked request: ChatRequest) {
        self = !request.jsonMode ? .off : request.replySchema == nil ? .jsonObject : .jsonSchema
    }

    /// An answer that refuses the format rather than the request: HTTP 400 naming it.
    package static func isRejection(_ error: LLMError) -> Bool {
        guard case .httpStatus(400, let message, _) = error else { return false }
        let text = message.lowercased()
        return text.contains("response_format") || text.contains("json_schema") || text.contains("response format")
    }
}
