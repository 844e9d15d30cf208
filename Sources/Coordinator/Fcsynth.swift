import ArgumentParser

@main
struct Fcsynth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcsynth",
        abstract: "Synthesize multi-turn function-calling conversations from seed chat logs.",
        subcommands: [SimulatorCommand.self]
    )
}
