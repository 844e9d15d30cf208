import Foundation

/// A reply as Redis sent it, copied out of hiredis so it outlives the C reply object.
public enum RedisReply: Sendable, Hashable {
    case null
    case integer(Int64)
    case bulk(Data)
    case array([RedisReply])
    case status(String)
    case error(String)
}

extension RedisReply {
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Bulk or status text; integers as their decimal form, as Redis itself reads them.
    public var string: String? {
        switch self {
        case .bulk(let data): String(decoding: data, as: UTF8.self)
        case .status(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    public var data: Data? {
        switch self {
        case .bulk(let data): data
        case .status(let text): Data(text.utf8)
        default: nil
        }
    }

    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The reply, or the server's error as a thrown `RedisError.server`.
    public func orThrow() throws(RedisError) -> RedisReply {
        if case .error(let message) = self { throw .server(message) }
        return self
    }

    /// A TIME reply, `[seconds, microseconds]`, as milliseconds since 1970: Redis's clock,
    /// the one every process compares the times stored in Redis with.
    public var timeMilliseconds: Int64? {
        guard let parts = array?.compactMap(\.string).compactMap({ Int64($0) }), parts.count == 2 else { return nil }
        return parts[0] * 1000 + parts[1] / 1000
    }

    /// A flat `[field, value, field, value]` array (HGETALL, XRANGE entries) as a dictionary.
    public var fieldValues: [String: RedisReply] {
        guard let elements = array else { return [:] }
        var result: [String: RedisReply] = [:]
        var index = 0
        while index + 1 < elements.count {
            if let key = elements[index].string { result[key] = elements[index + 1] }
            index += 2
        }
        return result
    }
}
