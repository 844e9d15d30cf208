import FcsynthCore

/// Which catalog functions an item's steps are written for. Every choice is drawn from the
/// item's id and line, so that a retried or replayed task makes the same plan, and the leads
/// follow the catalog's schedule line by line, so that the first lines of a run already cover
/// every function.
package struct CatalogPlanner {
    package let catalog: ToolCatalog

    package init(_ catalog: ToolCatalog) {
        self.catalog = catalog
    }

    /// The lead functions of an item's `count` atomic tasks. The first task of each line (down
    /// every first branch of the fan-out) takes the line's turns of the schedule; other branches
    /// take turns drawn from their id.
    package func leads(for item: WorkItem, count: Int) -> [FunctionDefinition] {
        let schedule = catalog.leadSchedule
        guard !schedule.isEmpty else { return [] }
        let firstBranch = item.id.split(separator: ".").dropFirst().allSatisfy { $0.last == "0" }
        let offset = firstBranch ? 0 : Int(StableHash.of(item.id) % UInt64(schedule.count))
        let base = (max(item.line, 1) - 1) * count + offset
        return (0..<count).compactMap { catalog.function(named: schedule[(base + $0) % schedule.count]) }
    }

    /// The function a sequential composition's subsequent task is written for, with the
    /// parameter the lead's output fills; nil when no catalog function takes the lead's output,
    /// and the subsequent step is then one the assistant reasons out.
    package func subsequent(
        after lead: String, for item: WorkItem, excluding: Set<String> = []
    )
        -> (function: FunctionDefinition, through: String)?
    {
        catalog.successors(of: lead).filter { !excluding.contains($0.function.name) }
            .min { rank($0.function.name, item) < rank($1.function.name, item) }
    }

    /// The function a parallel task is written for: one taking the same kind of input as the
    /// lead, else any other.
    package func parallel(to lead: String, for item: WorkItem) -> FunctionDefinition? {
        let siblings = catalog.siblings(of: lead)
        let pool = siblings.isEmpty ? catalog.functions.filter { $0.name != lead } : siblings
        return pool.min { rank($0.name, item) < rank($1.name, item) }
    }

    /// The candidates the function selection chooses from: the planned functions, then those
    /// they feed and those that take the same inputs, at most `limit`.
    package func candidates(for plan: [[String]], item: WorkItem, limit: Int = 8) -> [FunctionDefinition] {
        var names = plan.flatMap { $0 }
        for name in plan.flatMap({ $0 }) {
            let near = catalog.successors(of: name).map(\.function.name) + catalog.siblings(of: name).map(\.name)
            names += near.sorted { rank($0, item) < rank($1, item) }
        }
        var seen: Set<String> = []
        let unique = names.filter { seen.insert($0).inserted }
        return unique.prefix(max(limit, plan.flatMap { $0 }.count)).compactMap(catalog.function(named:))
    }

    /// `count` catalog functions the item does not need, for the assistant to choose among:
    /// those acting on the same kind of thing first, each group in an order drawn from the item.
    package func distractors(count: Int, for item: WorkItem, needed: [String]) -> [FunctionDefinition] {
        guard count > 0 else { return [] }
        let neededNames = Set(needed)
        let domains = Set(needed.map(FunctionDomain.of))
        let others = catalog.functions.filter { !neededNames.contains($0.name) }
        let near = others.filter { domains.contains(FunctionDomain.of($0.name)) }
        let far = others.filter { !domains.contains(FunctionDomain.of($0.name)) }
        let ranked = { (functions: [FunctionDefinition]) in
            functions.sorted { rank($0.name, item) < rank($1.name, item) }
        }
        return Array((ranked(near) + ranked(far)).prefix(count))
    }

    private func rank(_ name: String, _ item: WorkItem) -> UInt64 {
        StableHash.of(item.id + "/" + name)
    }
}
