import Testing
@testable import Shared

@Suite struct APIKeyTests {
    private let secret = "sk-test-5f1c9a7e-never-print-me"

    @Test func printedFormsHideTheSecret() throws {
        let key = try #require(APIKey(secret))
        var dumped = ""
        dump(key, to: &dumped)
        let options = LLMClientOptions(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKey: key)
        var dumpedOptions = ""
        dump(options, to: &dumpedOptions)
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped,
                     "\(options)", String(reflecting: options), dumpedOptions] {
            #expect(!text.contains(secret))
        }
        #expect(key.description == "APIKey(redacted)")
        #expect(dumpedOptions.contains("APIKey(redacted)"))
    }

    @Test func blankKeysAreNoKeys() {
        #expect(APIKey("") == nil)
        #expect(APIKey("  \n") == nil)
        #expect(APIKey(" abc ")?.secret == "abc")
    }

    @Test func redactionRemovesEveryOccurrence() throws {
        let key = try #require(APIKey(secret))
        let error = LLMError.httpStatus(401, message: "bad key \(secret), really \(secret)", retryAfter: nil).redacting(key)
        #expect(!error.description.contains(secret))
        #expect(error.description.contains("[redacted]"))
    }

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

    @Test func onlyHTTPBaseURLsAreAccepted() {
        #expect(throws: LLMConfigurationError.invalidURL) {
            try HTTPLLMClient(options: LLMClientOptions(baseURL: "ftp://127.0.0.1/v1", model: "m"))
        }
    }
}
