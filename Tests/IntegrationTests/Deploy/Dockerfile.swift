import Foundation

/// A Dockerfile's build stages and their instructions, continuation lines joined.
struct Dockerfile {
    struct Instruction: Equatable {
        var keyword: String
        var arguments: String
    }

    struct Stage {
        var from: String
        var instructions: [Instruction]

        /// The packages every `apt-get install` in this stage names.
        var aptInstalledPackages: [String] {
            instructions.filter { $0.keyword == "RUN" }.flatMap { run in
                run.arguments.components(separatedBy: "&&").flatMap { command -> [String] in
                    let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
                    guard let apt = words.firstIndex(where: { $0 == "apt-get" || $0 == "apt" }),
                        let install = words[apt...].firstIndex(of: "install")
                    else { return [] }
                    return words[(install + 1)...].filter { !$0.hasPrefix("-") }
                }
            }
        }
    }

    /// ARG defaults declared before the first FROM, which FROM lines may use.
    private(set) var globalArguments: [String: String] = [:]
    private(set) var stages: [Stage] = []

    /// A stage's base image with the global ARG defaults filled in.
    func baseImage(of stage: Stage) -> String {
        var image = String(stage.from.split(separator: " ")[0])
        for (name, value) in globalArguments {
            image = image.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(
                of: "$\(name)", with: value)
        }
        return image
    }

    init(parsing text: String) {
        var logical = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                logical += line.dropLast() + " "
                continue
            }
            logical += line
            add(logical)
            logical = ""
        }
        add(logical)
    }

    private mutating func add(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(where: \.isWhitespace) else { return }
        let instruction = Instruction(
            keyword: trimmed[..<space].uppercased(),
            arguments: trimmed[space...].trimmingCharacters(in: .whitespaces))
        if instruction.keyword == "FROM" {
            stages.append(Stage(from: instruction.arguments, instructions: []))
        } else if stages.isEmpty, instruction.keyword == "ARG", let equals = instruction.arguments.firstIndex(of: "=") {
            globalArguments[String(instruction.arguments[..<equals])] = String(
                instruction.arguments[instruction.arguments.index(after: equals)...])
        } else if !stages.isEmpty {
            stages[stages.count - 1].instructions.append(instruction)
        }
    }
}
