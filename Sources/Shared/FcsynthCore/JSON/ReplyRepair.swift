/// A change made to a model's reply before it was used, where its meaning was certain. Each
/// is counted, per stage and in the record, so that a run shows how much its model needed.
public enum ReplyRepair: String, CaseIterable, Codable, Sendable, Hashable {
    /// Reasoning before the answer (`<think>…</think>`) was set aside; the answer is what follows.
    case reasoningRemoved = "reasoning_removed"
    /// Commas before a closing bracket or brace.
    case trailingCommas = "trailing_commas"
    /// Strings and keys in single quotes.
    case singleQuotes = "single_quotes"
    /// A list holding the one object asked for.
    case arrayUnwrapped = "array_unwrapped"
    /// A number sent as a string where the schema wants a number, and nothing is lost by reading it.
    case numberFromString = "number_from_string"
    /// A key a closed `responses` schema does not allow, dropped from a tool result.
    case extraKeyDropped = "extra_key_dropped"
}
