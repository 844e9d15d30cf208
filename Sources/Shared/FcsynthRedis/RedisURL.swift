import Foundation

/// Where Redis is: `redis://[user:password@]host:port[/db]`, or a master found through Redis
/// Sentinel, `redis+sentinel://[user:password@]host:26379,host:26379/MASTER[/db]`. The user and
/// password are the data nodes'; a sentinel is sent them only if it demands a password. The
/// password is kept out of every description so that a URL can be logged.
public struct RedisURL: Sendable, Hashable {
    /// The server, for `redis://`; unused when `sentinels` names the master instead.
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// For `redis+sentinel://`: the sentinels to ask for the master, at every connection.
    public var sentinels: RedisSentinels?

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, sentinels: RedisSentinels? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sentinels = sentinels
    }

    public init(parsing text: String) throws(RedisError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("rediss://") || lowered.hasPrefix("rediss+sentinel://") {
            throw .invalidURL(
                "rediss:// (TLS) is not supported by this build's hiredis 0.14; run the stunnel sidecar (a TLS tunnel: deploy/README.md, \"Redis over TLS\") and point the URL at its local end, e.g. redis://:PASSWORD@127.0.0.1:6380 — see docs/operations.md, TLS"
            )
        }
        let sentinel = lowered.hasPrefix("redis+sentinel://")
        guard sentinel || lowered.hasPrefix("redis://") else {
            throw .invalidURL(
                "a Redis URL must start with redis:// or redis+sentinel:// (got \(Self.redactedForError(trimmed)))")
        }
        var rest = Substring(trimmed.drop { $0 != ":" }.dropFirst("://".count))
        var url = RedisURL()

        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = String(userInfo[..<colon]).removingPercentEncoding ?? ""
                url.username = user.isEmpty ? nil : user
                url.password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
            } else if !userInfo.isEmpty {
                // redis://secret@host: a lone user-info part is the password, as redis-cli reads it.
                url.password = String(userInfo).removingPercentEncoding
            }
        }
        if sentinel {
            try url.setSentinels(rest)
        } else {
            try url.setServer(rest)
        }
        self = url
    }

    /// `host:port[/db]`.
    private mutating func setServer(_ text: Substring) throws(RedisError) {
        var hostPort = text
        if let slash = text.firstIndex(of: "/") {
            hostPort = text[..<slash]
            try setDatabase(text[text.index(after: slash)...])
        }
        if hostPort.contains(",") {
            throw .invalidURL(
                "a redis:// URL names one server; for several sentinels use redis+sentinel://host:26379,host:26379/MASTER"
            )
        }
        let address = try RedisAddress(parsing: hostPort, defaultPort: 6379)
        host = address.host.isEmpty ? "127.0.0.1" : address.host
        port = address.port
    }

    /// `host:port,host:port/MASTER[/db]`.
    private mutating func setSentinels(_ text: Substring) throws(RedisError) {
        let example = "redis+sentinel://[:password@]host:26379,host:26379/MASTER[/db]"
        guard let slash = text.firstIndex(of: "/") else {
            throw .invalidURL("a redis+sentinel:// URL names the master after the sentinels: \(example) (got \(text))")
        }
        let path = text[text.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false)
        guard path.count <= 2 else {
            throw .invalidURL(
                "a redis+sentinel:// URL ends with /MASTER or /MASTER/db: \(example) (got /\(path.joined(separator: "/")))"
            )
        }
        let masterName = path[0]
        guard !masterName.isEmpty else {
            throw .invalidURL("a redis+sentinel:// URL names the master after the sentinels: \(example) (got \(text))")
        }
        guard RedisSentinels.isValidMasterName(masterName) else {
            throw .invalidURL("a sentinel master name is letters, digits and - _ . : (got \(masterName))")
        }
        if path.count == 2 { try setDatabase(path[1]) }

        let list = text[..<slash]
        guard !list.isEmpty else {
            throw .invalidURL("a redis+sentinel:// URL names at least one sentinel: \(example)")
        }
        var addresses: [RedisAddress] = []
        for entry in list.split(separator: ",", omittingEmptySubsequences: false) {
            let address = try RedisAddress(parsing: entry, defaultPort: RedisSentinels.defaultPort)
            guard !address.host.isEmpty else {
                throw .invalidURL("a sentinel without a host in \(list): list them as host:26379,host:26379")
            }
            addresses.append(address)
        }
        sentinels = RedisSentinels(masterName: String(masterName), addresses: addresses)
    }

    private mutating func setDatabase(_ text: Substring) throws(RedisError) {
        guard !text.isEmpty else { return }
        guard let number = Int(text), number >= 0 else {
            throw .invalidURL("the database in a Redis URL must be a number (got /\(text))")
        }
        database = number
    }

    /// Error messages show what was typed, but never the user-info part.
    private static func redactedForError(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        return String(text[..<scheme.upperBound]) + "***@" + String(text[text.index(after: at)...])
    }

    /// The URL from `FCSYNTH_REDIS_URL`, or the default local server.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RedisError) -> RedisURL {
        guard let text = environment["FCSYNTH_REDIS_URL"], !text.isEmpty else { return RedisURL() }
        return try RedisURL(parsing: text)
    }

    /// The server, or the sentinels and master, without credentials: for messages.
    public var location: String {
        guard let sentinels else { return RedisAddress(host: host, port: port).description }
        return "master \"\(sentinels.masterName)\" of the sentinels "
            + sentinels.addresses.map(\.description).joined(separator: ", ")
    }
}

extension RedisURL: CustomStringConvertible {
    /// `redis://user:***@host:port/db`: safe to log.
    public var description: String {
        text(password: password.map { _ in "***" })
    }

    /// The URL with its password, to hand to a child process through its environment and
    /// nowhere else.
    public var secretText: String {
        text(password: password.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 })
    }

    private func text(password shown: String?) -> String {
        var text = sentinels == nil ? "redis://" : "redis+sentinel://"
        if username != nil || shown != nil {
            let user = username.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 } ?? ""
            text += user + (shown.map { ":" + $0 } ?? "") + "@"
        }
        if let sentinels {
            text += sentinels.addresses.map(\.description).joined(separator: ",") + "/" + sentinels.masterName
        } else {
            text += RedisAddress(host: host, port: port).description
        }
        if database != 0 { text += "/\(database)" }
        return text
    }
}
