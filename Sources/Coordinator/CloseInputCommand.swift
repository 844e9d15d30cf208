import ArgumentParser
import FcsynthPipeline

struct CloseInputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-input",
        abstract: "Declare a run's input complete with the rows it holds, so that the run can complete.",
        discussion: """
            For a run whose enqueue stopped on a file error, or was interrupted and is not to be \\
            resumed. An enqueue still adding rows to the run stops at its next batch.
            """)

    @Option(help: "Run name.")
    var run: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try await connection.scriptClient()
        let store = try connection.store(run: run, client: client)
        guard let found = try await store.endEnqueue(.enqueued, input: nil) else {
            let status = try await store.status()
            Console.error("run \(run): input closed with \(status.rowsEnqueued) rows enqueued; \(status.items) items")
            return
        }
        switch RunState(rawValue: found) {
        case .enqueued: Console.error("run \(run): its input was already complete")
        case .cancelled: throw PipelineError.runCancelled(run)
        default: throw PipelineError.unknownRun(run)
        }
    }
}
