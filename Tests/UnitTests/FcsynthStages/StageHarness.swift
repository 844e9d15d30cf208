@testable import FcsynthCore
@testable import FcsynthStages

/// Runs one stage step against scripted replies.
struct StageHarness {
    struct Step {
        var result: StageResult
        var requests: [ChatRequest]

        var next: [StageTask] {
            if case .next(let tasks) = result.outcome { return tasks }
            return []
        }

        var nextItem: WorkItem? { next.count == 1 ? next[0].item : nil }

        var filteredReason: String? {
            if case .filtered(let reason) = result.outcome { return reason }
            return nil
        }

        /// The finished record: output, or handed to the judge stage for its scores.
        var record: ConversationRecord? {
            if case .output(let record) = result.outcome { return record }
            if let task = next.first, next.count == 1, task.stage == .judge { return task.item.candidate }
            return nil
        }
    }

    static func settings(_ change: (inout PipelineSettings) -> Void = { _ in }) -> PipelineSettings {
        var settings = PipelineSettings()
        change(&settings)
        return settings
    }

    static func step(
        _ stage: some Stage, _ item: WorkItem, replies: [String],
        settings: PipelineSettings = PipelineSettings()
    ) async throws -> Step {
        let llm = ScriptedLLM(replies)
        let result = try await stage.process(item, context: StageContext(run: "r1", settings: settings, llm: llm))
        return Step(result: result, requests: await llm.requests)
    }
}

/// The forms a model wraps its JSON in; each must parse the same.
enum ReplyForm: String, CaseIterable, Sendable {
    case bare, fenced, prose

    func wrap(_ json: String) -> String {
        switch self {
        case .bare: json
        case .fenced: "```json\n\(json)\n```"
        case .prose: "Sure! Here is the result you asked for:\n\n\(json)\n\nLet me know if you need anything else."
        }
    }
}

/// Not JSON at all: a truncated object.
let malformedReply = #"{"scenario": "booking fli"#
