import CHiredis
import Foundation

/// One hiredis connection. Not thread-safe and every call blocks: only `RedisClient`'s own
/// thread uses it. The only type that sees hiredis.
package final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?
    private let url: RedisURL
    private let options: RedisClientOptions
    private var currentReadTimeout: Double

    package init(url: RedisURL, options: RedisClientOptions) {
        self.url = url
        self.options = options
        self.currentReadTimeout = options.readTimeout
    }

    deinit {
        close()
    }

    package var isConnected: Bool { context != nil }

    /// Connects, then re-sends AUTH and SELECT: hiredis's own reconnect forgets both.
    package func connect() throws(RedisError) {
        close()
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), Self.timeval(options.connectTimeout))
        else {
            throw .unavailable("cannot allocate a hiredis context")
        }
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            redisFree(context)
            throw .unavailable("\(url.host):\(url.port): \(message)")
        }
        self.context = context
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

    private static func isTransient(_ message: String) -> Bool {
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
