import ArgumentParser
import Shared

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List runs with their state and totals.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client(options: .failFast)
        for run in try await RunStore.runs(redis: client, namespace: connection.namespace) {
            let status = try await connection.store(run: run, client: client).status()
            print("\(run)\t\(status.complete ? "complete" : status.state)\titems \(status.items)\toutput \(status.output)\tfiltered \(status.filtered)\tdead \(status.dead)")
        }
    }
}

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

struct RequeueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Send a run's dead tasks back to their queues with fresh attempt counts.")

    @Option(help: "Run name.")
    var run: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let store = try connection.store(run: run, client: try connection.client(options: .failFast))
        let count = try await store.requeueDead()
        Console.error("run \(run): \(count) dead tasks requeued")
    }
}
