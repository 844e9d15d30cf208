import ArgumentParser
import FcsynthCatalog
import FcsynthCore
import FcsynthPipeline
import Foundation

/// Catalog mode: the run's conversations call the user's own functions.
struct CatalogOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A tool catalog: an OpenAI tools array (JSON, or JSON Lines), or an OpenAPI 3 document (JSON or YAML). The run composes over its functions instead of designing new ones.",
            valueName: "file"))
    var tools: String?

    @Option(
        help: ArgumentHelp(
            "A catalog function's share of the items that lead with it, against 1 for the others (repeatable).",
            valueName: "name=weight"))
    var toolWeight: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --tools: execute tool calls for real by POSTing {\"name\", \"arguments\"} to this URL (a bearer token comes from the workers' FCSYNTH_TOOL_EXECUTOR_TOKEN).",
            valueName: "url"))
    var toolExecutor: String?

    @Option(
        help:
            "With --tools and no input file: the items to make from the catalog's own descriptions (default: one per scheduled turn, every function at least once)."
    )
    var items: Int?

    func validate() throws {
        guard tools != nil || (toolWeight.isEmpty && toolExecutor == nil && items == nil) else {
            throw ValidationError("--tool-weight, --tool-executor and --items need --tools")
        }
        if let toolExecutor {
            let url = URL(string: toolExecutor)
            guard let scheme = url?.scheme?.lowercased(), scheme == "http" || scheme == "https", url?.host != nil else {
                throw ValidationError("--tool-executor must be an http or https URL")
            }
            guard url?.user == nil, url?.password == nil else {
                throw ValidationError(
                    "--tool-executor must not carry credentials: the URL is stored with the run; set FCSYNTH_TOOL_EXECUTOR_TOKEN on the workers instead"
                )
            }
        }
        if let items, items < 1 { throw ValidationError("--items must be at least 1") }
    }

    /// The catalog with its weights, read now; each unusable entry is reported by its path on
    /// standard error, and the rest go through. Nil without `--tools`.
    func read() throws -> CatalogReading? {
        guard let tools else { return nil }
        var weights: [String: Double] = [:]
        for pair in toolWeight {
            guard let equals = pair.firstIndex(of: "="), let weight = Double(pair[pair.index(after: equals)...]) else {
                throw ValidationError("--tool-weight takes name=weight, not \"\(pair)\"")
            }
            weights[String(pair[..<equals])] = weight
        }
        let reading = try CatalogReader.read(path: tools, weights: weights)
        for problem in reading.problems {
            Console.error("\(tools): \(problem.description)")
        }
        Console.error(
            "catalog \(reading.catalog.source): \(reading.catalog.functions.count) functions"
                + (reading.problems.isEmpty ? "" : ", \(reading.problems.count) entries rejected"))
        return reading
    }

    /// The run's settings in catalog mode.
    func apply(_ reading: CatalogReading?, to settings: inout RunSettings) {
        guard let reading else { return }
        settings.pipeline.catalog = reading.catalog
        settings.pipeline.toolExecutor = toolExecutor
    }
}
