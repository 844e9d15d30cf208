import ArgumentParser
import FcsynthPipeline

struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Change a run's budget; raised past its spend, the run resumes by itself.",
        discussion: """
            The limits given replace the run's; 0 removes one. The workers read the budget at \
            every claim, so a raise starts new items at their next claim, and a cut stops them.
            """)

    @Option(help: "Run name.")
    var run: String

    @OptionGroup var budget: BudgetOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard budget.budget != nil else { throw ValidationError("give --max-cost, --budget-tokens or both") }
    }

    func run() async throws {
        let client = try await connection.scriptClient()
        let store = try connection.store(run: run, client: client)
        try await store.setBudget(budget.budget ?? RunBudget(), replacing: true)
        Console.error("run \(run): " + BudgetText(spend: try await store.status().spend).summary)
    }
}
