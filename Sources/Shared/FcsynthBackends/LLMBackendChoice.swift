import Foundation
import FcsynthCore
import FcsynthLLMClient
import FcsynthSimulatedLLM

/// Which model a process talks to: a real OpenAI-compatible endpoint, or the in-process
/// simulator. The API key comes only from the environment, never from arguments.
public enum LLMBackendChoice: Sendable {
    case http(LLMClientOptions)
    case simulated

    /// `FCSYNTH_LLM_URL` (or the given URL) selects the endpoint; without one, the simulator.
    public static func resolve(url: String?, model: String?, simulate: Bool,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LLMBackendChoice {
        if simulate { return .simulated }
        var environment = environment
        if let url { environment["FCSYNTH_LLM_URL"] = url }
        if let model { environment["FCSYNTH_MODEL"] = model }
        guard let endpoint = environment["FCSYNTH_LLM_URL"], !endpoint.isEmpty else { return .simulated }
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

    public var summary: String {
        switch self {
        case .http(let options): "\(options.baseURL) model \(options.model)"
        case .simulated: "simulated LLM (template data for dry runs)"
        }
    }
}
