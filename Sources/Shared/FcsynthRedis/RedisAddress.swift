/// Where one Redis node listens: a server, or a sentinel.
public struct RedisAddress: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; the host may come back empty for the caller
    /// to default or refuse.
    init(parsing text: Substring, defaultPort: Int) throws(RedisError) {
        var rest = text
        port = defaultPort
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw .invalidURL("unclosed [ in the Redis URL's host")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") {
                port = try Self.port(rest.dropFirst())
            } else if !rest.isEmpty {
                throw .invalidURL("unexpected \(rest) after the bracketed host in a Redis URL")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        } else {
            host = String(rest)
        }
    }

    private static func port(_ text: Substring) throws(RedisError) -> Int {
        guard let number = Int(text), (1...65535).contains(number) else {
            throw .invalidURL("the port in a Redis URL must be 1-65535 (got \(text))")
        }
        return number
    }
}

extension RedisAddress: CustomStringConvertible {
    /// `host:port`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
