@testable import FcsynthPipeline

/// The KEYS a script's header documents, and those its Swift definition says it takes, both
/// as `KEYS[n]: key` (`KEYS[n...]: key` for a repeated key) with `RunKeys(run: "RUN")`'s spelling.
enum ScriptHeader {
    static func documentedKeys(in source: String) -> [String] {
        source.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^-- (KEYS\[\d+(?:\.\.\.)?\]): ([^\s,]+)/).map { "\($0.1): \($0.2)" }
        }
    }

    static func expectedKeys(of script: PipelineScript) -> [String] {
        let keys = RunKeys(run: "RUN")
        var lines = script.keys.enumerated().map {
            "KEYS[\($0.offset + 1)]: \($0.element.key(in: keys, part: $0.element == .batched ? "BATCH" : "WORKER"))"
        }
        if let repeated = script.repeatedKey {
            lines.append(
                "KEYS[\(script.keys.count + 1)...]: \(repeated.key(in: keys, part: repeated.partPlaceholder))")
        }
        return lines
    }
}
