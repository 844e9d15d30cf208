import ArgumentParser
import FcsynthPipeline

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs with their state and totals.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client(options: .failFast)
        for run in try await RunStore.runs(redis: client, namespace: connection.namespace) {
            let status = try await connection.store(run: run, client: client).status()
            print(
                "\(run)\t\(status.complete ? "complete" : status.state)\titems \(status.items)\toutput \(status.output)\tfiltered \(status.filtered)\tdead \(status.dead)"
            )
        }
    }
}
