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
        for text in ["rediss://u:hunter2@host:6380", "rediss+sentinel://:hunter2@host:26379/m"] {
            #expect {
                try RedisURL(parsing: text)
            } throws: { error in
                let text = "\(error)"
                return text.contains("TLS") && text.contains("tunnel") && text.contains("sidecar")
                    && text.contains("deploy/README.md") && !text.contains("hunter2")
            }
        }
    }

    @Test func parsesASentinelURL() throws {
        let url = try RedisURL(
            parsing: "redis+sentinel://alice:s3cr%40t@10.0.0.1:26380,sentinel-b,[::1]:26381/prod-master.1/4")
        let sentinels = try #require(url.sentinels)
        #expect(sentinels.masterName == "prod-master.1")
        #expect(
            sentinels.addresses == [
                RedisAddress(host: "10.0.0.1", port: 26380), RedisAddress(host: "sentinel-b", port: 26379),
                RedisAddress(host: "::1", port: 26381),
            ])
        #expect(url.username == "alice")
        #expect(url.password == "s3cr@t")
        #expect(url.database == 4)
        #expect(
            try RedisURL(parsing: "REDIS+SENTINEL://h/m").sentinels?.addresses == [RedisAddress(host: "h", port: 26379)]
        )
        #expect(try RedisURL(parsing: "redis+sentinel://:pw@h:1/m").password == "pw")
        #expect(try RedisURL(parsing: "redis+sentinel://h:1/m/").database == 0)
    }

    @Test func aSentinelURLDescribesItselfWithoutThePasswordAndRoundTrips() throws {
        let url = try RedisURL(parsing: "redis+sentinel://alice:hunter%2F2@a:26379,[::1]:26380/m/2")
        #expect(url.description == "redis+sentinel://alice:***@a:26379,[::1]:26380/m/2")
        #expect(!url.location.contains("hunter"))
        #expect(url.location == "master \"m\" of the sentinels a:26379, [::1]:26380")
        #expect(try RedisURL(parsing: url.secretText) == url)
        #expect(try RedisURL(parsing: "redis+sentinel://h/m").description == "redis+sentinel://h:26379/m")
    }

    /// Every malformed sentinel URL says what is wrong and shows the expected form, never the password.
    @Test(arguments: [
        ("redis+sentinel://:hunter2@h1:26379,h2:26379", "names the master after the sentinels"),
        ("redis+sentinel://:hunter2@h1:26379/", "names the master after the sentinels"),
        ("redis+sentinel://:hunter2@/m", "at least one sentinel"),
        ("redis+sentinel://:hunter2@h1,,h2/m", "a sentinel without a host"),
        ("redis+sentinel://:hunter2@h1:0/m", "port"),
        ("redis+sentinel://:hunter2@h1:x/m", "port"),
        ("redis+sentinel://:hunter2@[::1/m", "unclosed ["),
        ("redis+sentinel://:hunter2@h1/m/x", "database"),
        ("redis+sentinel://:hunter2@h1/m/1/2", "ends with /MASTER or /MASTER/db"),
        ("redis+sentinel://:hunter2@h1/my master", "master name"),
        ("redis://:hunter2@h1:6379,h2:6379", "redis+sentinel://"),
        ("sentinel://:hunter2@h1/m", "redis+sentinel://"),
    ])
    func refusesAMalformedSentinelURL(text: String, says expected: String) {
        #expect {
            try RedisURL(parsing: text)
        } throws: { error in
            guard case .invalidURL(let message) = error as? RedisError else { return false }
            return message.contains(expected) && !message.contains("hunter2")
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
