import ArgumentParser

@main
struct Fcsynth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcsynth",
        abstract: "Synthesize multi-turn function-calling conversations from seed chat logs.",
        subcommands: [
            RunCommand.self, EnqueueCommand.self, StatusCommand.self, ExportCommand.self,
            RunsCommand.self, CancelCommand.self, RequeueCommand.self, CheckCommand.self, SimulatorCommand.self,
        ]
    )
}
