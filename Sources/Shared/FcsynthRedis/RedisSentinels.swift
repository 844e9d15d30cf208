/// The sentinels a `redis+sentinel://` URL names, and the name of the master they watch. The
/// master's address is asked of them at every connection, so that a client follows a failover.
public struct RedisSentinels: Sendable, Hashable {
    public var masterName: String
    /// Asked in turn, starting with the one that answered last.
    public var addresses: [RedisAddress]

    public init(masterName: String, addresses: [RedisAddress]) {
        self.masterName = masterName
        self.addresses = addresses
    }

    /// The port a sentinel address without one gets.
    public static let defaultPort = 26379

    /// What Redis Sentinel accepts as a master name, less the characters a URL would need escaped.
    static func isValidMasterName(_ name: Substring) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
    }
}
