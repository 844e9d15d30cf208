import ArgumentParser

struct RequeueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Send a run's dead tasks back to their queues with fresh attempt counts.")

    @Option(help: "Run name.")
    var run: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let store = try connection.store(run: run, client: try await connection.scriptClient(options: .failFast))
        let count = try await store.requeueDead()
        Console.error("run \(run): \(count) dead tasks requeued")
    }
}
