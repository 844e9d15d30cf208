/// The Lua scripts the pipeline runs, loaded once from the resource bundle.
enum PipelineScripts {
    static let claim = RedisScript.bundled("claim_tasks")
    static let complete = RedisScript.bundled("complete_tasks")
    static let recover = RedisScript.bundled("recover_tasks")
    static let release = RedisScript.bundled("release_tasks")
    static let requeueDead = RedisScript.bundled("requeue_dead")
    static let acquireBudget = RedisScript.bundled("acquire_llm_budget")
    static let enqueueRows = RedisScript.bundled("enqueue_rows")
}
