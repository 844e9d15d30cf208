import CHiredis
import Foundation

/// One hiredis connection. Not thread-safe and every call blocks: only `RedisClient`'s own
/// thread uses it. The only type that sees hiredis.
package final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?
    private var currentReadTimeout: Double
    /// The node this connection reached last: under sentinels, the master they named.
    private(set) var address: RedisAddress?
    /// The sentinel that named the master last, asked first next time: one that is down
    /// costs a connect timeout once, not at every reconnect.
    var preferredSentinel = 0

    let url: RedisURL
    let options: RedisClientOptions

    package init(url: RedisURL, options: RedisClientOptions) {
        self.url = url
        self.options = options
        self.currentReadTimeout = options.readTimeout
    }

    deinit {
        close()
    }

    package var isConnected: Bool { context != nil }

    /// Connects, then re-sends AUTH and SELECT: hiredis's own reconnect forgets both. Under
    /// sentinels, it first asks them for the master, and refuses a node that is not one.
    package func connect() throws(RedisError) {
        close()
        guard let sentinels = url.sentinels else {
            let server = RedisAddress(host: url.host, port: url.port)
            try open(server, label: server.description)
            return
        }
        let (master, sentinel) = try askForMaster(sentinels)
        let label = "\(master) (the master of \"\(sentinels.masterName)\" by sentinel \(sentinel))"
        try open(master, label: label)
        do {
            try requireMasterRole(label: label)
        } catch {
            close()
            throw error
        }
    }

    /// Opens `address` and sends the URL's AUTH (or a PING) and SELECT; `label` names the node
    /// in a failure.
    private func open(_ address: RedisAddress, label: String) throws(RedisError) {
        guard
            let context = redisConnectWithTimeout(
                address.host, Int32(address.port), Self.timeval(options.connectTimeout))
        else {
            throw .unavailable("cannot allocate a hiredis context")
        }
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            redisFree(context)
            throw .unavailable("\(label): \(message)")
        }
        self.context = context
        self.address = address
        redisEnableKeepAlive(context)
        currentReadTimeout = options.readTimeout
        redisSetTimeout(context, Self.timeval(currentReadTimeout))

        do {
            if let password = url.password {
                var auth = RedisCommand("AUTH")
                if let username = url.username { auth.append(username) }
                auth.append(password)
                if case .error(let message) = try execute([auth])[0] {
                    throw RedisError.authentication(message)
                }
            } else if case .error(let message) = try execute([RedisCommand("PING")])[0] {
                // A server still loading its data answers LOADING: wait for it like an outage.
                throw Self.isTransient(message) ? RedisError.unavailable(message) : RedisError.authentication(message)
            }
            if url.database != 0, case .error(let message) = try execute([RedisCommand("SELECT", url.database)])[0] {
                throw RedisError.authentication("SELECT \(url.database): \(message)")
            }
        } catch let error as RedisError {
            close()
            throw error
        } catch {
            close()
            throw .unavailable("\(error)")
        }
    }

    static func isTransient(_ message: String) -> Bool {
        ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN"].contains { message.hasPrefix($0) }
    }

    package func close() {
        if let context {
            redisFree(context)
            self.context = nil
        }
    }

    /// Sends every command, then reads every reply: one round trip for the lot.
    /// A transport failure drops the connection and throws; error replies come back as `.error`.
    package func execute(_ commands: [RedisCommand], readTimeout: Double? = nil) throws(RedisError) -> [RedisReply] {
        guard let context else { throw .unavailable("not connected") }
        let wantedTimeout = readTimeout ?? options.readTimeout
        if wantedTimeout != currentReadTimeout {
            redisSetTimeout(context, Self.timeval(wantedTimeout))
            currentReadTimeout = wantedTimeout
        }
        for command in commands {
            let status = command.withArgv { argv, lengths in
                redisAppendCommandArgv(context, Int32(command.argumentCount), argv, lengths)
            }
            if status != REDIS_OK {
                let message = Self.errorString(context)
                close()
                throw .connectionLost(message)
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
                let message = Self.errorString(context)
                close()
                throw .connectionLost(message)
            }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulk(value.str.map { Data(bytes: $0, count: value.len) } ?? Data())
        case REDIS_REPLY_STATUS:
            return .status(text(value))
        case REDIS_REPLY_ERROR:
            return .error(text(value))
        case REDIS_REPLY_INTEGER:
            return .integer(value.integer)
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] { elements.append(convert(element)) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func text(_ value: redisReply) -> String {
        guard let pointer = value.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: value.len), as: UTF8.self)
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        let message = withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
        return message.isEmpty ? "connection error \(context.pointee.err)" : message
    }

    private static func timeval(_ seconds: Double) -> Glibc.timeval {
        let whole = seconds.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }
}
