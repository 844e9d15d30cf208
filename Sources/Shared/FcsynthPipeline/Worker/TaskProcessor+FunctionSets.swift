import FcsynthCore
import FcsynthRedis
import FcsynthStages

/// The function-set index could not be read: the function_gen attempt is retried, like any
/// failed attempt, under its own error kind.
struct FunctionSetIndexUnreadable: Error {
    let error: RedisError
}

extension TaskProcessor {
    /// As function_gen hands an item on, its function set goes into the run's function-set
    /// index, one script call keyed by the item's id. A set near an earlier item's does not stop
    /// the item (the issue filters on the composition task only): the item is counted
    /// (`near_duplicate_functions`) and carries the earlier item's id to its record's lineage,
    /// so that the report can show the clusters.
    func functionSets(
        _ result: StageResult, of envelope: TaskEnvelope, keys: RunKeys, settings: RunSettings
    ) async throws(FunctionSetIndexUnreadable) -> StageResult {
        guard let policy = settings.nearDuplicates, let redis, case .next(let tasks) = result.outcome,
            let functions = tasks.first?.item.subTasks?.distinctFunctions
        else { return result }
        let index = NearDuplicateIndex(redis: redis, keys: keys, policy: policy)
        let verdict: NearDuplicateVerdict
        do {
            verdict = try await index.checkFunctions(id: envelope.item.id, functions: functions)
        } catch {
            throw FunctionSetIndexUnreadable(error: error)
        }
        var result = result
        switch verdict {
        case .unique:
            break
        case .unindexed:
            result.counters["near_duplicate_index_full", default: 0] += 1
        case .duplicate(let original, _, _):
            result.counters["near_duplicate_functions", default: 0] += 1
            result.outcome = .next(
                tasks.map { task in
                    var task = task
                    task.item.functionsLike = original
                    return task
                })
        }
        return result
    }
}
