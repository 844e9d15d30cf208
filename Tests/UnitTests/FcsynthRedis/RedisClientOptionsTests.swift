import Testing

@testable import FcsynthRedis

/// What a command that gave up on an unreachable Redis says: never "within 0.0 s".
@Suite struct RedisClientOptionsTests {
    @Test func aClientThatDoesNotWaitSaysNothingAnswers() throws {
        let url = try RedisURL(parsing: "redis://user:pw@10.0.0.7:6390")
        #expect(RedisClientOptions(unavailableTimeout: 0).unanswered(by: url) == "nothing answers at 10.0.0.7:6390")
        #expect(
            RedisClientOptions(unavailableTimeout: 30).unanswered(by: url) == "10.0.0.7:6390 did not answer within 30 s"
        )
        #expect(
            RedisClientOptions(unavailableTimeout: 2.5).unanswered(by: url)
                == "10.0.0.7:6390 did not answer within 2.5 s")
        #expect(!RedisClientOptions(unavailableTimeout: 0).unanswered(by: url).contains("pw"))
    }

    @Test func aSentinelClientSaysWhatTheSentinelsDid() throws {
        let url = try RedisURL(parsing: "redis+sentinel://:pw@10.0.0.7:26379,10.0.0.8:26379/main")
        let reason = RedisError.unavailable(
            "no sentinel named the master of \"main\" (10.0.0.7:26379: Connection refused)")
        #expect(
            RedisClientOptions(unavailableTimeout: 0).unanswered(by: url, after: reason)
                == "no sentinel named the master of \"main\" (10.0.0.7:26379: Connection refused)")
        #expect(
            RedisClientOptions(unavailableTimeout: 30).unanswered(by: url, after: reason)
                == "no master \"main\" answered within 30 s; last: no sentinel named the master of \"main\" (10.0.0.7:26379: Connection refused)"
        )
        #expect(
            RedisClientOptions(unavailableTimeout: 0).unanswered(by: url)
                == "nothing answers at master \"main\" of the sentinels 10.0.0.7:26379, 10.0.0.8:26379")
    }
}
