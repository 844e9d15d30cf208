/// Finding the master through Redis Sentinel: the sentinels are asked in turn, each on a
/// short-lived connection of its own, and the node they name must say it is the master.
extension RedisConnection {
    /// The master's address, and the sentinel that named it. Every sentinel that cannot help
    /// is named in the error with its reason; when all of them answered and none knows the
    /// master, retrying will not help and the error says so by its kind.
    func askForMaster(_ sentinels: RedisSentinels) throws(RedisError) -> (RedisAddress, RedisAddress) {
        let name = sentinels.masterName
        let count = sentinels.addresses.count
        var reasons: [String] = []
        var unreachable = 0
        var refused = 0
        for offset in 0..<count {
            let index = (preferredSentinel + offset) % count
            let sentinel = sentinels.addresses[index]
            do {
                if let master = try ask(sentinel, for: name) {
                    preferredSentinel = index
                    return (master, sentinel)
                }
                reasons.append("\(sentinel): knows no master named \"\(name)\"")
            } catch .authentication(let message) {
                refused += 1
                reasons.append("\(sentinel): \(message)")
            } catch .invalidURL(let message) {
                reasons.append("\(sentinel): \(message)")
            } catch {
                unreachable += 1
                let reason = Self.reason(error)
                reasons.append(reason.hasPrefix("\(sentinel):") ? reason : "\(sentinel): \(reason)")
            }
        }
        let detail = reasons.joined(separator: "; ")
        if unreachable > 0 {
            throw .unavailable("no sentinel named the master of \"\(name)\" (\(detail))")
        }
        if refused > 0 {
            throw .authentication("no sentinel accepted the URL's credentials (\(detail))")
        }
        throw .invalidURL("no sentinel knows a master named \"\(name)\" (\(detail))")
    }

    /// `SENTINEL get-master-addr-by-name`: nil when the sentinel does not know the name. The
    /// URL's credentials are the data nodes'; a sentinel is sent them only when it demands a
    /// password, since AUTH to a sentinel without one is an error.
    private func ask(_ sentinel: RedisAddress, for name: String) throws(RedisError) -> RedisAddress? {
        // A sentinel answers at once: one that does not is as good as down.
        var quick = options
        quick.readTimeout = options.connectTimeout
        var connection = RedisConnection(url: RedisURL(host: sentinel.host, port: sentinel.port), options: quick)
        defer { connection.close() }
        do {
            try connection.connect()
        } catch .authentication(let message) where message.hasPrefix("NOAUTH") {
            guard url.password != nil else {
                throw .authentication("requires a password, and the URL has none")
            }
            connection = RedisConnection(
                url: RedisURL(
                    host: sentinel.host, port: sentinel.port, username: url.username, password: url.password),
                options: quick)
            try connection.connect()
        }
        let reply = try connection.execute([RedisCommand("SENTINEL", "get-master-addr-by-name", name)])[0]
        switch reply {
        case .null:
            return nil
        case .array(let parts):
            guard parts.count == 2, let host = parts[0].string, let port = parts[1].string.flatMap(Int.init) else {
                throw .unexpectedReply("SENTINEL get-master-addr-by-name returned \(reply)")
            }
            return RedisAddress(host: host, port: port)
        case .error(let message):
            // A plain Redis answers ERR unknown command: the URL names something that is not a sentinel.
            throw Self.isTransient(message) ? .unavailable(message) : .invalidURL("is not a sentinel (\(message))")
        default:
            throw .unexpectedReply("SENTINEL get-master-addr-by-name returned \(reply)")
        }
    }

    /// `ROLE` on the node the sentinels named: during a failover they may still name a node
    /// that has become a replica, which would refuse every write; the client asks again later.
    func requireMasterRole(label: String) throws(RedisError) {
        let reply = try execute([RedisCommand("ROLE")])[0]
        if case .error(let message) = reply {
            // NOPERM: an ACL user without +role can never pass this check.
            throw Self.isTransient(message) ? .unavailable(message) : .authentication("ROLE: \(message)")
        }
        guard let role = reply.array?.first?.string else {
            throw .unexpectedReply("ROLE returned \(reply)")
        }
        guard role == "master" else {
            throw .unavailable("\(label) is a \(role == "slave" ? "replica" : role), not the master")
        }
    }

    /// The message inside an error, without the kind's prefix that `description` adds.
    private static func reason(_ error: RedisError) -> String {
        switch error {
        case .unavailable(let message), .connectionLost(let message), .unexpectedReply(let message):
            message
        default:
            "\(error)"
        }
    }
}
