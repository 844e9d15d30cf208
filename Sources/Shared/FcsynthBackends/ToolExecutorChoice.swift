import FcsynthCore
import FcsynthLLMClient

/// How a worker executes the tool calls of catalog runs that name an executor URL.
public enum ToolExecutorChoice {
    /// HTTP executors, with the sandbox's bearer token from the worker's environment
    /// (`FCSYNTH_TOOL_EXECUTOR_TOKEN`); nil for a URL that is not http(s).
    public static func http(environment: [String: String]) -> @Sendable (String) -> (any ToolExecutor)? {
        let token = environment["FCSYNTH_TOOL_EXECUTOR_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return { url in try? HTTPToolExecutor(url: url, token: token) }
    }
}
