/// The LLM client's settings are missing or unusable.
public enum LLMConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingVariable(String)
    case invalidURL
    case invalidVariable(String, expected: String)

    public var description: String {
        switch self {
        case .missingVariable(let name): "the environment variable \(name) is not set"
        case .invalidURL: "the LLM base URL is not an http or https URL"
        case .invalidVariable(let name, let expected): "the environment variable \(name) must be \(expected)"
        }
    }
}
