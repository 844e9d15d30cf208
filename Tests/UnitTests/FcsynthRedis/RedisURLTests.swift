import Testing

@testable import FcsynthRedis

@Suite struct RedisURLTests {
    @Test func parsesEveryPart() throws {
        let url = try RedisURL(parsing: "redis://alice:s3cr%40t@10.1.2.3:6380/2")
        #expect(url.host == "10.1.2.3")
        #expect(url.port == 6380)
        #expect(url.username == "alice")
        #expect(url.password == "s3cr@t")
        #expect(url.database == 2)
    }

    @Test func lonePasswordAndDefaults() throws {
        let url = try RedisURL(parsing: "redis://:pw@localhost")
        #expect(url.username == nil)
        #expect(url.password == "pw")
        #expect(url.port == 6379)
        #expect(url.database == 0)
        #expect(try RedisURL(parsing: "redis://[::1]:7000").host == "::1")
    }

    @Test func descriptionHidesThePassword() throws {
        let url = try RedisURL(parsing: "redis://alice:hunter2@host:1/3")
        #expect(url.description == "redis://alice:***@host:1/3")
        #expect(!"\(url)".contains("hunter2"))
    }

    @Test func refusesTLSWithAClearMessage() {
        #expect {
            try RedisURL(parsing: "rediss://u:hunter2@host:6380")
        } throws: { error in
            let text = "\(error)"
            return text.contains("TLS") && text.contains("tunnel") && !text.contains("hunter2")
        }
    }

    @Test func refusesBadPortsSchemesAndDatabases() {
        #expect(throws: RedisError.self) { try RedisURL(parsing: "http://host:1") }
        #expect(throws: RedisError.self) { try RedisURL(parsing: "redis://host:99999") }
        #expect(throws: RedisError.self) { try RedisURL(parsing: "redis://host:1/x") }
        #expect {
            try RedisURL(parsing: "tcp://user:hunter2@host")
        } throws: { !"\($0)".contains("hunter2") }
    }

    @Test func readsTheEnvironment() throws {
        #expect(try RedisURL.fromEnvironment(["FCSYNTH_REDIS_URL": "redis://h:7"]).port == 7)
        #expect(try RedisURL.fromEnvironment([:]) == RedisURL())
    }
}
