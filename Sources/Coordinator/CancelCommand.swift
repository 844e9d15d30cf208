import ArgumentParser

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run: workers stop taking its tasks and its queues are emptied.")

    @Option(help: "Run name.")
    var run: String

    @Flag(help: "Also delete everything the run wrote (output included).")
    var purge = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let store = try connection.store(run: run, client: try connection.client(options: .failFast))
        try await store.cancel()
        if purge { try await store.purge() }
        Console.error(purge ? "run \(run) cancelled and deleted" : "run \(run) cancelled")
    }
}
