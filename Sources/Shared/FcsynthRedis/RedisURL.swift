import Foundation

/// Where Redis is: `redis://[user:password@]host:port[/db]`. The password is kept out of
/// every description so that a URL can be logged.
public struct RedisURL: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    public init(parsing text: String) throws(RedisError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("rediss://") {
            throw .invalidURL(
                "rediss:// (TLS) is not supported by this build's hiredis 0.14; reach a remote Redis through a TLS tunnel (stunnel or ssh -L) and use redis://127.0.0.1:PORT — see docs/operations.md"
            )
        }
        guard trimmed.lowercased().hasPrefix("redis://") else {
            throw .invalidURL("a Redis URL must start with redis:// (got \(Self.redactedForError(trimmed)))")
        }
        var rest = Substring(trimmed.dropFirst("redis://".count))
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

        var hostPort = rest
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty {
                guard let number = Int(db), number >= 0 else {
                    throw .invalidURL("the database in a Redis URL must be a number (got /\(db))")
                }
                url.database = number
            }
        }

        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw .invalidURL("unclosed [ in the Redis URL's host")
            }
            url.host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            hostPort = hostPort[hostPort.index(after: close)...]
            if hostPort.hasPrefix(":") { try url.setPort(hostPort.dropFirst()) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            url.host = String(hostPort[..<colon])
            try url.setPort(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            url.host = String(hostPort)
        }
        if url.host.isEmpty { url.host = "127.0.0.1" }
        self = url
    }

    private mutating func setPort(_ text: Substring) throws(RedisError) {
        guard let number = Int(text), (1...65535).contains(number) else {
            throw .invalidURL("the port in a Redis URL must be 1-65535 (got \(text))")
        }
        port = number
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
        var text = "redis://"
        if username != nil || shown != nil {
            let user = username.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 } ?? ""
            text += user + (shown.map { ":" + $0 } ?? "") + "@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)"
        if database != 0 { text += "/\(database)" }
        return text
    }
}
