/// The backend settings do not name a usable model.
public enum LLMBackendChoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingModel(endpoint: String)

    public var description: String {
        switch self {
        case .missingModel(let endpoint):
            "a model is needed with an LLM endpoint: --model or FCSYNTH_MODEL (endpoint \(endpoint))"
        }
    }
}
