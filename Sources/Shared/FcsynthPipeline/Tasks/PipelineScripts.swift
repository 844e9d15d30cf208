import FcsynthRedis

/// The Lua scripts the pipeline runs, compiled into the binary from `Scripts/*.lua`.
package enum PipelineScripts {
    package static let claim = RedisScript(name: "claim_tasks", source: PackageResources.claim_tasks_lua)
    package static let complete = RedisScript(name: "complete_tasks", source: PackageResources.complete_tasks_lua)
    package static let recover = RedisScript(name: "recover_tasks", source: PackageResources.recover_tasks_lua)
    package static let release = RedisScript(name: "release_tasks", source: PackageResources.release_tasks_lua)
    package static let requeueDead = RedisScript(name: "requeue_dead", source: PackageResources.requeue_dead_lua)
    package static let acquireBudget = RedisScript(name: "acquire_llm_budget", source: PackageResources.acquire_llm_budget_lua)
    package static let enqueueRows = RedisScript(name: "enqueue_rows", source: PackageResources.enqueue_rows_lua)
}
