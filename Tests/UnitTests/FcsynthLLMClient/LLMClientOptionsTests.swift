import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

@Suite struct LLMClientOptionsTests {
    @Test func optionsFromTheEnvironment() throws {
        let base = ["FCSYNTH_LLM_URL": "http://127.0.0.1:9/v1/", "FCSYNTH_MODEL": "qwen"]
        let plain = try LLMClientOptions.fromEnvironment(base)
        #expect(plain.baseURL == "http://127.0.0.1:9/v1/")
        #expect(plain.completionsURL == "http://127.0.0.1:9/v1/chat/completions")
        #expect(plain.model == "qwen")
        #expect(plain.apiKey == nil)

        let openAI = try LLMClientOptions.fromEnvironment(base.merging(["OPENAI_API_KEY": "sk-openai"]) { $1 })
        #expect(openAI.apiKey?.secret == "sk-openai")
        let both = base.merging(["OPENAI_API_KEY": "sk-openai", "FCSYNTH_API_KEY": "sk-fcsynth"]) { $1 }
        #expect(try LLMClientOptions.fromEnvironment(both).apiKey?.secret == "sk-fcsynth")

        #expect(throws: LLMConfigurationError.missingVariable("FCSYNTH_MODEL")) {
            try LLMClientOptions.fromEnvironment(["FCSYNTH_LLM_URL": "http://127.0.0.1:9/v1"])
        }
    }

    @Test func limitsFromTheEnvironment() throws {
        let base = ["FCSYNTH_LLM_URL": "http://127.0.0.1:9/v1", "FCSYNTH_MODEL": "qwen"]
        let tuned = try LLMClientOptions.fromEnvironment(
            base.merging(["FCSYNTH_LLM_TIMEOUT": "2.5", "FCSYNTH_LLM_MAX_RESPONSE_BYTES": "4096"]) { $1 })
        #expect(tuned.requestTimeout == .milliseconds(2500))
        #expect(tuned.maxResponseBytes == 4096)
        #expect(throws: LLMConfigurationError.self) {
            try LLMClientOptions.fromEnvironment(base.merging(["FCSYNTH_LLM_TIMEOUT": "soon"]) { $1 })
        }
        #expect(throws: LLMConfigurationError.self) {
            try LLMClientOptions.fromEnvironment(base.merging(["FCSYNTH_LLM_MAX_RESPONSE_BYTES": "-1"]) { $1 })
        }
    }

    @Test func onlyHTTPBaseURLsAreAccepted() {
        #expect(throws: LLMConfigurationError.invalidURL) {
            try HTTPLLMClient(options: LLMClientOptions(baseURL: "ftp://127.0.0.1/v1", model: "m"))
        }
    }

    @Test func recordsNameTheEndpointByHostAndPortOnly() throws {
        let cases = [
            "http://127.0.0.1:8000/v1": "127.0.0.1:8000",
            "https://api.openai.com/v1": "api.openai.com",
            "https://user:pa55word@gateway.example:8443/v1?api-key=sk-123": "gateway.example:8443",
            "not a url": "unknown",
        ]
        for (url, expected) in cases {
            let client = try? HTTPLLMClient(options: LLMClientOptions(baseURL: url, model: "m"))
            #expect(LLMClientOptions(baseURL: url, model: "m").endpointHost == expected, "\(url)")
            if let client {
                #expect(client.identity == BackendIdentity(kind: .http, endpoint: expected, model: "m"))
            }
        }
    }
}
