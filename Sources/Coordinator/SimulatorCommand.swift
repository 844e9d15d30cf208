import ArgumentParser

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve the simulated LLM as an OpenAI-compatible endpoint on a loopback port."
    )

    func run() async throws {}
}
