/// The LLM client's settings are missing or unusable.
public enum LLMConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingVariable(String)
    case invalidURL

    public var description: String {
        switch self {
        case .missingVariable(let name): "the environment variable \(name) is not set"
        case .invalidURL: "the LLM base URL is not an http or https URL"
        }
    }
}
