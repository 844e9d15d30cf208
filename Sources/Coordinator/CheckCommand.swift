import ArgumentParser
import FcsynthCore
import FcsynthPipeline
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Run every form and meaning check on a dataset: fcsynth's raw, openai or sharegpt lines, or anyone's in those layouts.",
        discussion: """
            Prints one line per failing record (FILE:line N: rule: detail), then the count per rule. Rules that need the \
            task plan (coverage, parallel_structure, sub_task_in_system) run on raw lines only and are reported as not \
            applicable elsewhere. Exit status 1 when any record fails, 2 when the file cannot be read.
            """
    )

    @Argument(help: "The dataset: JSON Lines (or a JSON array), .gz read transparently.")
    var file: String

    @Flag(help: "Print the verdicts and the summary as JSON Lines, for machines.")
    var json = false

    @Flag(help: "Fail parallel-then-sequential records whose independent steps are not called in one turn.")
    var enforceParallel = false

    @Flag(help: "Fail records with a number, date or time the rules cannot trace to a source (derived_value).")
    var strictValues = false

    func run() throws {
        do {
            try check()
        } catch let error as InputError {
            // Exit status 1 means failing records; a file that cannot be read is another matter.
            Console.error("fcsynth check: \(error)")
            throw ExitCode(2)
        }
    }

    private func check() throws {
        let input = try InputFile(path: file)
        defer { try? input.finish() }
        let reader = try InputRecordReader(file: input, maxRowBytes: 64 << 20)
        var checker = DatasetChecker(enforceParallel: enforceParallel, enforceDerivedValues: strictValues)
        let output = FileHandle.standardOutput
        while let row = try reader.next() {
            let verdict = checker.check(line: row.line, bytes: row.bytes)
            if json {
                output.write(try JSONCoding.encode(Self.document(verdict)) + Data("\n".utf8))
            } else if !verdict.passed {
                let details = verdict.failures.map { "\($0.rule): \($0.detail)" }.joined(separator: " | ")
                output.write(Data("\(file):line \(verdict.line): \(details)\n".utf8))
            }
        }
        let summary = checker.summary
        if json {
            output.write(
                try JSONCoding.encode(
                    JSONValue.object([
                        "summary": try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(summary))
                    ])) + Data("\n".utf8))
        } else {
            Console.error("\(summary.records) records, \(summary.failed) failing")
            for (rule, counts) in summary.rules.sorted(by: { $0.key < $1.key }) {
                Console.error(
                    "  \(rule): \(counts.failed) failed, \(counts.measured) measured, \(counts.notApplicable) not applicable"
                )
            }
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }

    private static func document(_ verdict: DatasetChecker.Verdict) -> JSONValue {
        .object([
            "line": .number(Double(verdict.line)),
            "format": verdict.format.map { .string($0.rawValue) } ?? .null,
            "passed": .bool(verdict.passed),
            "failures": .array(
                verdict.failures.map { .object(["rule": .string($0.rule), "detail": .string($0.detail)]) }),
            "measured": .array(
                verdict.measured.map { .object(["rule": .string($0.rule), "detail": .string($0.detail)]) }),
            "not_applicable": .array(verdict.notApplicable.map { .string($0) }),
        ])
    }
}
