import Testing

@testable import FcsynthCore
@testable import FcsynthLLMClient

@Suite struct APIKeyTests {
    private let secret = "sk-test-5f1c9a7e-never-print-me"

    @Test func printedFormsHideTheSecret() throws {
        let key = try #require(APIKey(secret))
        var dumped = ""
        dump(key, to: &dumped)
        let options = LLMClientOptions(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKey: key)
        var dumpedOptions = ""
        dump(options, to: &dumpedOptions)
        for text in [
            key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped,
            "\(options)", String(reflecting: options), dumpedOptions,
        ] {
            #expect(!text.contains(secret))
        }
        #expect(key.description == "APIKey(redacted)")
        #expect(dumpedOptions.contains("APIKey(redacted)"))
    }

    @Test func unusableKeysAreNoKeys() {
        #expect(APIKey("") == nil)
        #expect(APIKey("  \n") == nil)
        #expect(APIKey("sk-a\r\nX-Injected: 1") == nil)
        #expect(APIKey(" abc ")?.secret == "abc")
    }

    @Test func redactionRemovesEveryOccurrence() throws {
        let key = try #require(APIKey(secret))
        let error = LLMError.httpStatus(401, message: "bad key \(secret), really \(secret)", retryAfter: nil).redacting(
            key)
        #expect(!error.description.contains(secret))
        #expect(error.description.contains("[redacted]"))
    }
}
