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
    /// A function schema's `default`, `const`, `enum` or `examples` value converted, without loss, to
    /// the property's declared `type` (`"10"` for an integer, `1` for a string).
    case schemaValueCoerced = "schema_value_coerced"
    /// A function schema's `default`, `const`, `enum` member or `examples` member that no declared
    /// `type` admits and no lossless conversion fits, dropped: no argument could have taken it.
    case schemaValueDropped = "schema_value_dropped"
    /// A function schema's one-element `type` list (`["string"]`) written as the type name.
    case schemaTypeUnwrapped = "schema_type_unwrapped"
}
