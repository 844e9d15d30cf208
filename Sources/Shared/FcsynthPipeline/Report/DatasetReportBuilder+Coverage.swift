import FcsynthCore

extension DatasetReportBuilder {
    /// Each catalog function's use: planned (the stages' counters), kept (the records read),
    /// and for one no kept conversation calls, the likeliest reason, from what became of the
    /// items planned with it.
    package func coverage(
        of catalog: ToolCatalog, counters: [String: Int], filtered: [RemovedItem], incomplete: Bool
    ) -> CatalogCoverage {
        var filteredReasons: [String: [String: Int]] = [:]
        for removed in filtered {
            guard let plan = removed.item?.catalogPlan else { continue }
            let reason = Self.reasonKey(stage: removed.stage, reason: removed.reason)
            for name in Set(plan.joined()) { filteredReasons[name, default: [:]][reason, default: 0] += 1 }
        }
        let turns = catalog.leadSchedule.count
        let entries = catalog.functions.map { function -> CatalogCoverage.Entry in
            let name = function.name
            var entry = CatalogCoverage.Entry(
                name: name, leads: counters[CatalogCoverage.leadCounter(name)] ?? 0,
                partners: counters[CatalogCoverage.partnerCounter(name)] ?? 0, kept: keptCalling[name] ?? 0,
                keptAlone: keptCallingAlone[name] ?? 0)
            guard entry.kept == 0 else { return entry }
            if entry.leads + entry.partners == 0 {
                entry.unusedBecause =
                    "no item was planned with it: the run has fewer items than the catalog's schedule (\(turns) turns)"
            } else if let top = filteredReasons[name]?.max(by: {
                $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key)
            }) {
                let planned = entry.leads + entry.partners
                entry.unusedBecause =
                    "\(planned) item\(planned == 1 ? "" : "s") planned with it, none kept; most often filtered at \(top.key) (\(top.value))"
            } else if incomplete {
                entry.unusedBecause = "its items are not finished yet"
            } else {
                entry.unusedBecause = "planned, but no kept conversation called it: the assistant chose other functions"
            }
            return entry
        }
        return CatalogCoverage(catalog: catalog.source, functions: entries)
    }
}
