/// Why no JSON object could be taken from a model's reply. The descriptions are written to be
/// sent back to the model, so that it can correct its answer.
public enum ReplyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyReply
    case noJSONObject
    case arrayAtTopLevel
    case truncatedObject
    /// Reasoning that never closed: no answer follows it.
    case onlyReasoning
    /// A `{...}` that looks like JSON but does not parse: its beginning and the parser's reason.
    case invalidJSON(excerpt: String, reason: String)

    public var description: String {
        switch self {
        case .emptyReply:
            "the reply is empty; answer with one JSON object"
        case .noJSONObject:
            "no JSON object found in the reply; answer with one JSON object"
        case .arrayAtTopLevel:
            "the reply holds a JSON array, not an object; answer with one JSON object as described"
        case .onlyReasoning:
            "the reply holds only reasoning (an unclosed <think>); after your reasoning, give the JSON object"
        case .truncatedObject:
            "the JSON object is cut off before its closing brace; answer with the complete object"
        case .invalidJSON(let excerpt, let reason):
            "the JSON object starting `\(excerpt)` is not valid JSON (\(reason)); answer with one valid JSON object"
        }
    }
}
