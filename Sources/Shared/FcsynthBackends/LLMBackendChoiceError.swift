/// The backend settings do not name a usable model.
public enum LLMBackendChoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingModel(endpoint: String)
    case noEndpoint
    case judgeModelWithoutEndpoint

    public var description: String {
        switch self {
        case .missingModel(let endpoint):
            "a model is needed with an LLM endpoint: --model or FCSYNTH_MODEL (endpoint \(endpoint))"
        case .noEndpoint:
            "no LLM endpoint: set FCSYNTH_LLM_URL and FCSYNTH_MODEL (or --llm-url and --model), "
                + "or pass --simulate for template data that is not for training"
        case .judgeModelWithoutEndpoint:
            "a judge model needs an endpoint: the simulated LLM has one model; set --judge-llm-url or FCSYNTH_JUDGE_LLM_URL"
        }
    }
}
