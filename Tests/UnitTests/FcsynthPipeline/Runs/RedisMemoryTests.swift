import Testing

@testable import FcsynthPipeline
@testable import FcsynthRedis

/// What `status` makes of `INFO memory`, and which errors say Redis is full.
@Suite struct RedisMemoryTests {
    static let info = """
        # Memory\r
        used_memory:2349048\r
        used_memory_human:2.24M\r
        maxmemory:2000000\r
        maxmemory_human:1.91M\r
        maxmemory_policy:noeviction\r

        """

    @Test func readsTheFieldsAndSaysFullOnlyPastALimitThatEvictsNothing() throws {
        let memory = try #require(RedisMemory(info: Self.info))
        #expect(memory == RedisMemory(used: 2_349_048, limit: 2_000_000, policy: "noeviction"))
        #expect(memory.isFull)
        #expect(!RedisMemory(used: 2_349_048, limit: 0, policy: "noeviction").isFull)
        #expect(!RedisMemory(used: 1_999_999, limit: 2_000_000, policy: "noeviction").isFull)
        #expect(!RedisMemory(used: 2_349_048, limit: 2_000_000, policy: "allkeys-lru").isFull)
        #expect(RedisMemory(info: "-NOPERM this user has no permissions to run the 'info' command") == nil)
    }

    @Test func theOOMRefusalIsKnownAsRedis7AndRedis6SayIt() {
        let seven = RedisError.server(
            "OOM command not allowed when used memory > 'maxmemory'. script: 3f2a, on @user_script:28.")
        let six = RedisError.server(
            "ERR Error running script (call to f_3f2a): @user_script:28: @user_script: 28: -OOM command not allowed when used memory > 'maxmemory'."
        )
        #expect(seven.isOutOfMemory && six.isOutOfMemory)
        #expect(!RedisError.server("ERR wrong number of arguments for 'hset' command").isOutOfMemory)
        #expect(!RedisError.unavailable("OOM command not allowed").isOutOfMemory)
    }
}
