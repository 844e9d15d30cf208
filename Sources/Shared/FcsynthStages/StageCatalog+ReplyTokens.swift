import FcsynthCore

extension StageCatalog {
    /// The `max_tokens` each call asks for unless the run sets `--max-tokens`: a few times what
    /// its contract's reply takes (docs/stages.md lists them), so that a model that rambles or
    /// never stops costs a bounded amount, and a reply cut off there is a malformed reply the
    /// stage corrects. `call` is the request's name, the stage's unless it makes several kinds.
    public static func replyTokens(stage: StageName, call: String) -> Int {
        switch (stage, call) {
        case (.conversation, MultiTurnConversationGenerator.Call.user): 512
        case (.conversation, MultiTurnConversationGenerator.Call.assistant): 2048
        case (.conversation, MultiTurnConversationGenerator.Call.tool): 1536
        case (.conversation, MultiTurnConversationGenerator.Call.toolError): 512
        case (.scenarioExtract, _): 512
        case (.scenarioExpand, _): 1536
        case (.atomTask, _): 1536
        case (.sequentialTask, _), (.paraSeqTask, _): 1536
        case (.compositionFilter, _): 768
        case (.functionGen, _): 4096
        case (.judge, _): 1024
        case (.conversation, _): 2048
        }
    }
}
