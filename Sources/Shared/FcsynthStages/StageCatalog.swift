import FcsynthCore

/// The operator behind each stage name: what a worker runs for a task from a stage's queue.
public enum StageCatalog {
    public static func stage(_ name: StageName) -> any Stage {
        switch name {
        case .scenarioExtract: ScenarioExtractor()
        case .scenarioExpand: ScenarioExpander()
        case .atomTask: AtomTaskGenerator()
        case .sequentialTask: SequentialTaskGenerator()
        case .paraSeqTask: ParaSeqTaskGenerator()
        case .compositionFilter: CompositionTaskFilter()
        case .functionGen: FunctionGenerator()
        case .conversation: MultiTurnConversationGenerator()
        case .judge: ConversationJudge()
        }
    }
}

extension StageCatalog {
    /// Every stage's operator, as a worker serves them.
    public static var all: [StageName: any Stage] {
        Dictionary(uniqueKeysWithValues: StageName.allCases.map { ($0, stage($0)) })
    }
}
