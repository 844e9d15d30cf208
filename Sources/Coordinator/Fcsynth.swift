import ArgumentParser
import FcsynthSystem
import Foundation

@main
struct Fcsynth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcsynth",
        abstract: "Synthesize multi-turn function-calling conversations from seed chat logs.",
        subcommands: [
            RunCommand.self, EstimateCommand.self, EnqueueCommand.self, CloseInputCommand.self, StatusCommand.self,
            ExportCommand.self, ReportCommand.self,
            RunsCommand.self, BudgetCommand.self, CancelCommand.self, RequeueCommand.self, CheckCommand.self,
            SimulatorCommand.self,
        ]
    )

    /// Every command may hold a key or a password: none leaves a core file. Whatever its
    /// output is connected to, a command ends with its own status (64 for a bad flag).
    static func main() async {
        SignalWatcher.ignoreSIGPIPE()
        CoreDumps.forbid(environment: ProcessInfo.processInfo.environment)
        LargeAllocations.keepInHeap()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            ExitMessage.exit(status: exitCode(for: error).rawValue, message: fullMessage(for: error))
        }
    }
}
