import Testing

@testable import FcsynthBackends
@testable import FcsynthLLMClient

/// Where the judge's calls go, and which key goes with them.
@Suite struct JudgeBackendChoiceTests {
    static let main = LLMBackendChoice.http(
        LLMClientOptions(baseURL: "http://gen.example:8000/v1", model: "writer", apiKey: APIKey("sk-run-key")))

    static func options(_ choice: LLMBackendChoice?) -> LLMClientOptions? {
        guard case .http(let options) = choice else { return nil }
        return options
    }

    @Test func withoutJudgeSettingsTheRunsBackendJudges() throws {
        #expect(try LLMBackendChoice.judge(url: nil, model: nil, main: Self.main, environment: [:]) == nil)
        #expect(try LLMBackendChoice.judge(url: nil, model: nil, main: .simulated, environment: [:]) == nil)
    }

    @Test func aJudgeModelAloneAsksTheRunsEndpointWithTheRunsKey() throws {
        let options = try #require(
            Self.options(try LLMBackendChoice.judge(url: nil, model: "critic", main: Self.main, environment: [:])))
        #expect(options.baseURL == "http://gen.example:8000/v1")
        #expect(options.model == "critic")
        #expect(options.apiKey == APIKey("sk-run-key"))
    }

    @Test func anotherHostNeverGetsTheRunsKey() throws {
        let options = try #require(
            Self.options(
                try LLMBackendChoice.judge(
                    url: "https://judge.example/v1", model: nil, main: Self.main, environment: [:])))
        #expect(options.model == "writer")
        #expect(options.apiKey == nil)
        let keyed = try #require(
            Self.options(
                try LLMBackendChoice.judge(
                    url: nil, model: nil, main: Self.main,
                    environment: [
                        "FCSYNTH_JUDGE_LLM_URL": "https://judge.example/v1", "FCSYNTH_JUDGE_API_KEY": "sk-judge",
                    ]
                )))
        #expect(keyed.baseURL == "https://judge.example/v1")
        #expect(keyed.apiKey == APIKey("sk-judge"))
    }

    @Test func aFlagWinsOverItsVariable() throws {
        let options = try #require(
            Self.options(
                try LLMBackendChoice.judge(
                    url: nil, model: "from-flag", main: Self.main, environment: ["FCSYNTH_JUDGE_MODEL": "from-env"])))
        #expect(options.model == "from-flag")
    }

    @Test func aSimulatedRunNeedsAnEndpointForItsJudgeModel() throws {
        #expect(throws: LLMBackendChoiceError.judgeModelWithoutEndpoint) {
            try LLMBackendChoice.judge(url: nil, model: "critic", main: .simulated, environment: [:])
        }
        #expect(throws: LLMBackendChoiceError.missingModel(endpoint: "http://judge.example/v1")) {
            try LLMBackendChoice.judge(url: "http://judge.example/v1", model: nil, main: .simulated, environment: [:])
        }
        let options = try #require(
            Self.options(
                try LLMBackendChoice.judge(
                    url: "http://judge.example/v1", model: "critic", main: .simulated, environment: [:])))
        #expect(options.model == "critic")
    }
}
