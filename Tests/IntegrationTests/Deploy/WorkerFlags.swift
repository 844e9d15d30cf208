/// What a deploy file's fcsynth-worker arguments say about draining.
enum WorkerFlags {
    /// fcsynth-worker's own default for --drain-grace.
    static let defaultDrainGrace = 20.0

    /// The drain grace the worker would use: the last --drain-grace wins, as in swift-argument-parser.
    static func drainGrace(in arguments: [String]) -> Double? {
        var value: Double? = defaultDrainGrace
        for (index, argument) in arguments.enumerated() {
            if argument == "--drain-grace" {
                value = arguments.indices.contains(index + 1) ? Double(arguments[index + 1]) : nil
            } else if argument.hasPrefix("--drain-grace=") {
                value = Double(argument.dropFirst("--drain-grace=".count))
            }
        }
        return value
    }

    /// Flags that would put a secret on the command line.
    static func secretFlags(in arguments: [String]) -> [String] {
        arguments.filter { argument in
            argument.hasPrefix("--redis") || argument.hasPrefix("--api-key") || argument.contains("redis://")
                || argument.lowercased().contains("password")
        }
    }
}
