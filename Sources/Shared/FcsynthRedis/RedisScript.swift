/// A Lua script the server runs by its SHA1.
public struct RedisScript: Sendable, Hashable {
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// A script embedded as bytes (SwiftPM's `embedInCode`).
    public init(name: String, source bytes: [UInt8]) {
        self.init(name: name, source: String(decoding: bytes, as: UTF8.self))
    }
}
