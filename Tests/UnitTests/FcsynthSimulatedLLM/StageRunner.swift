@testable import FcsynthCore
@testable import FcsynthSimulatedLLM
@testable import FcsynthStages

/// Drives items through the stages as the pipeline would, in process: every task of every
/// outcome runs until nothing is left, collecting outputs and filter reasons.
struct StageRunner {
    struct Run {
        var records: [ConversationRecord] = []
        /// Every item a stage was given, in order.
        var items: [WorkItem] = []
        var filtered: [String] = []
        var retried: [String] = []
        var steps: [StageName: Int] = [:]
        var llmCalls = 0
        var usage = TokenUsage()
    }

    var context: StageContext

    init(settings: PipelineSettings = PipelineSettings(), llm: any LLMBackend = SimulatedLLM(), run: String = "test") {
        context = StageContext(run: run, settings: settings, llm: llm)
    }

    /// `distractors` are given to every item entering the conversation, as the pipeline's pool would.
    func run(_ items: [WorkItem], maxSteps: Int = 10_000, distractors: [FunctionDefinition] = []) async throws -> Run {
        var result = Run()
        var queue = items.map { StageTask(stage: .scenarioExtract, item: $0) }
        var steps = 0
        while !queue.isEmpty, steps < maxSteps {
            let task = queue.removeFirst()
            steps += 1
            result.items.append(task.item)
            let step = try await StageCatalog.stage(task.stage).process(task.item, context: context)
            result.steps[task.stage, default: 0] += 1
            result.llmCalls += step.llmCalls
            result.usage = result.usage + step.usage
            switch step.outcome {
            case .next(let tasks):
                // As the pipeline does: each child carries its ancestry's tokens.
                queue += tasks.map { task in
                    var task = task
                    task.item.usage = (task.item.usage ?? TokenUsage()) + step.usage
                    if task.stage == .conversation, !distractors.isEmpty, task.item.distractors == nil {
                        task.item.distractors = distractors
                    }
                    return task
                }
            case .output(let record): result.records.append(record)
            case .filtered(let reason): result.filtered.append(reason)
            case .retry(let reason, _): result.retried.append(reason)
            }
        }
        return result
    }
}
