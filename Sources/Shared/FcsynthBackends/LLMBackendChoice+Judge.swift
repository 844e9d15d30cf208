import FcsynthCore
import FcsynthLLMClient
import Foundation

extension LLMBackendChoice {
    /// The judge's own backend, when `FCSYNTH_JUDGE_LLM_URL` or `FCSYNTH_JUDGE_MODEL` (or the
    /// flags) asks for one; nil lets the run's backend judge. Either may be left out: the other
    /// comes from the run's endpoint. The key is `FCSYNTH_JUDGE_API_KEY`; without it the run's
    /// key goes only to the run's own host, never to another provider.
    public static func judge(
        url: String?, model: String?, main: LLMBackendChoice,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LLMBackendChoice? {
        func setting(_ flag: String?, _ variable: String) -> String? {
            let value = (flag ?? environment[variable])?.trimmingCharacters(in: .whitespaces)
            return value?.isEmpty == false ? value : nil
        }
        let url = setting(url, "FCSYNTH_JUDGE_LLM_URL")
        let model = setting(model, "FCSYNTH_JUDGE_MODEL")
        guard url != nil || model != nil else { return nil }
        guard case .http(let runOptions) = main else {
            guard let url else { throw LLMBackendChoiceError.judgeModelWithoutEndpoint }
            guard let model else { throw LLMBackendChoiceError.missingModel(endpoint: url) }
            var options = LLMClientOptions(baseURL: url, model: model)
            options.apiKey = environment["FCSYNTH_JUDGE_API_KEY"].flatMap(APIKey.init)
            return .http(options)
        }
        var options = runOptions
        options.baseURL = url ?? runOptions.baseURL
        options.model = model ?? runOptions.model
        let ownKey = environment["FCSYNTH_JUDGE_API_KEY"].flatMap(APIKey.init)
        options.apiKey = ownKey ?? (options.endpointHost == runOptions.endpointHost ? runOptions.apiKey : nil)
        return .http(options)
    }
}
