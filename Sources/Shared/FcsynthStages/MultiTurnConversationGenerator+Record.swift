import FcsynthCore
import FcsynthVerification

extension MultiTurnConversationGenerator {
    /// The name of the form check (`ConversationValidator`) among a record's checks.
    package static let formCheck = "form"

    /// The finished conversation in training form: a system prompt listing only the tools (the
    /// sub-task hints stay behind, so that a trained model learns to plan by itself), then the
    /// dialogue. Validated before it may leave; a record that fails is filtered, never output.
    package func finish(
        _ item: WorkItem, state: ConversationState, plan: VariantPlan, exchange: ModelExchange
    ) -> StageResult {
        let functions = plan.shown
        let tools = functions.map(ToolDefinition.init)
        var lineage = Lineage(
            run: exchange.context.run, line: item.line, itemId: item.id,
            scenario: item.scenario ?? "", atomTask: item.atomTask ?? "",
            compositionMode: item.compositionMode ?? .sequential,
            compositionTask: item.compositionTask ?? "",
            subTasks: (item.subTasks ?? []).map(\.task),
            subTaskFunctions: (item.subTasks ?? []).map { $0.functions.map(\.name) },
            parallelToolCalls: exchange.context.settings.parallelToolCalls)
        lineage.toolErrors = state.failedCalls
        lineage.variant = plan.variant
        lineage.distractors = plan.distractors.isEmpty ? nil : plan.distractors.map(\.name)
        lineage.withheldFunction = plan.withheldFunction
        lineage.withheldDetail = plan.withheldDetail
        let record = ConversationRecord(
            id: item.id,
            messages: [OutputMessage(role: .system, content: Self.trainingSystemPrompt(tools: tools))] + state.messages,
            tools: tools, functions: functions, lineage: lineage,
            usage: (item.usage ?? TokenUsage()) + exchange.usage)
        let violations = ConversationValidator.validate(record)
        guard violations.isEmpty else {
            return exchange.result(
                .filtered(
                    reason: "\(name.rawValue): invalid record: "
                        + violations.map(\.description).joined(separator: "; ")))
        }
        let settings = exchange.context.settings
        let report = ConversationVerifier.verify(
            VerifiableConversation(record), enforceParallel: settings.requireParallelCalls,
            enforceDerivedValues: settings.enforceDerivedValues)
        if settings.enforceChecks, !report.passed {
            return exchange.result(
                .filtered(
                    reason: "\(name.rawValue): fails its checks: "
                        + report.violations.map(\.description).joined(separator: "; ")))
        }
        var checked = record
        checked.lineage.checks = report.checks.merging([Self.formCheck: CheckResult(outcome: .pass)]) { $1 }
        guard settings.judge else { return exchange.result(.output(checked)) }
        var judged = item
        judged.conversation = nil
        judged.candidate = checked
        return exchange.result(.next([StageTask(stage: .judge, item: judged)]))
    }
}
