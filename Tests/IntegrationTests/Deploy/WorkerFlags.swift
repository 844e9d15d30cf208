/// What a deploy file's fcsynth-worker arguments say about draining.
enum WorkerFlags {
    /// fcsynth-worker's own defaults for --drain-grace and --drain-timeout.
    static let defaultDrainGrace = 20.0
    static let defaultDrainTimeout = 45.0

    /// The drain grace the worker would use.
    static func drainGrace(in arguments: [String]) -> Double? {
        seconds("--drain-grace", in: arguments, default: defaultDrainGrace)
    }

    /// The longest the worker takes to exit after SIGTERM, grace included.
    static func drainTimeout(in arguments: [String]) -> Double? {
        seconds("--drain-timeout", in: arguments, default: defaultDrainTimeout)
    }

    /// The last `flag` wins, as in swift-argument-parser.
    private static func seconds(_ flag: String, in arguments: [String], default: Double) -> Double? {
        var value: Double? = `default`
        for (index, argument) in arguments.enumerated() {
            if argument == flag {
                value = arguments.indices.contains(index + 1) ? Double(arguments[index + 1]) : nil
            } else if argument.hasPrefix(flag + "=") {
                value = Double(argument.dropFirst(flag.count + 1))
            }
        }
        return value
    }

    /// Why the worker, stopped with these arguments under a stop timeout of `stopTimeout` seconds,
    /// would be killed before it is done (or refuse to start), if it would.
    static func drainProblem(in arguments: [String], stopTimeout: Double, named name: String) -> String? {
        guard let grace = drainGrace(in: arguments), let timeout = drainTimeout(in: arguments) else {
            return "unreadable --drain-grace or --drain-timeout in \(arguments)"
        }
        if timeout <= grace { return "--drain-timeout \(timeout) s must exceed --drain-grace \(grace) s" }
        if stopTimeout <= timeout { return "\(name) \(stopTimeout) s must outlast --drain-timeout \(timeout) s" }
        return nil
    }

    /// Flags that would put a secret on the command line.
    static func secretFlags(in arguments: [String]) -> [String] {
        arguments.filter { argument in
            argument.hasPrefix("--redis") || argument.hasPrefix("--api-key") || argument.contains("redis://")
                || argument.lowercased().contains("password")
        }
    }
}
