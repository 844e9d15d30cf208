import FcsynthCore
import FcsynthLLMClient
import FcsynthSimulatedLLM
import Foundation

/// Which model a process talks to: a real OpenAI-compatible endpoint, or the in-process
/// simulator. The API key comes only from the environment, never from arguments.
public enum LLMBackendChoice: Sendable {
    case http(LLMClientOptions)
    case simulated

    /// What a process does when no endpoint is configured.
    public enum Fallback: Sendable {
        /// Simulate, as `fcsynth run` does for a dry run, saying so.
        case simulate
        /// Refuse to start: a fleet worker that quietly simulated would write template data
        /// into a real run.
        case refuse
    }

    /// `FCSYNTH_LLM_URL` (or the given URL) selects the endpoint; without one, `fallback` decides.
    public static func resolve(
        url: String?, model: String?, simulate: Bool, withoutEndpoint fallback: Fallback,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LLMBackendChoice {
        if simulate { return .simulated }
        var environment = environment
        if let url { environment["FCSYNTH_LLM_URL"] = url }
        if let model { environment["FCSYNTH_MODEL"] = model }
        guard let endpoint = environment["FCSYNTH_LLM_URL"], !endpoint.isEmpty else {
            switch fallback {
            case .simulate: return .simulated
            case .refuse: throw LLMBackendChoiceError.noEndpoint
            }
        }
        if environment["FCSYNTH_MODEL"]?.isEmpty ?? true {
            throw LLMBackendChoiceError.missingModel(endpoint: endpoint)
        }
        return .http(try LLMClientOptions.fromEnvironment(environment))
    }

    public func makeBackend(observer: (any LLMCallObserver)? = nil) throws -> any LLMBackend {
        switch self {
        case .http(let options): try HTTPLLMClient(options: options, observer: observer)
        case .simulated: SimulatedLLM()
        }
    }

    /// The endpoint's Batch API, for batch-mode runs; nil for the simulated LLM, which has none.
    public func makeBatchEndpoint() throws -> (any BatchEndpoint)? {
        switch self {
        case .http(let options): try HTTPBatchClient(options: options)
        case .simulated: nil
        }
    }

    public var summary: String {
        switch self {
        case .http(let options): "\(options.baseURL) model \(options.model)"
        case .simulated: "simulated LLM (template data for dry runs)"
        }
    }
}
