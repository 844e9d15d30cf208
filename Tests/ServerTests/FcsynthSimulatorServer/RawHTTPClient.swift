import Foundation
import Glibc

@testable import FcsynthCore

/// A blocking HTTP/1.1 client on one socket, so that the tests see exactly what the simulator sends:
/// keep-alive, resets, hangs and oversized bodies included.
final class RawHTTPClient {
    enum Failure: Error, Equatable {
        case system(String, Int32)
        /// The server closed the connection after `received` bytes of an answer.
        case closed(received: Int)
        case timedOut
        case malformed
    }

    struct Response {
        var status: Int
        /// Lowercased names.
        var headers: [String: String]
        var body: [UInt8]
        /// The body's length as sent, though only part of it may be kept.
        var bodyLength: Int

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> JSONValue {
            try JSONCoding.decode(JSONValue.self, from: Data(body))
        }

        /// `choices[0].message.content` of a chat completion.
        func content() throws -> String? {
            try json()["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Double = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            throw Failure.system("connect", code)
        }
    }

    deinit {
        close(fd)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(name): \(value)\r\n"
        }
        if let body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        try write(Array((head + "\r\n" + (body ?? "")).utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure.system("send", errno) }
            offset += sent
        }
    }

    /// Reads one answer, keeping at most `keepingBody` bytes of its body and reading at most
    /// `readingBody` of them (a client that gives up on a long answer).
    func receive(keepingBody: Int = .max, readingBody: Int = .max) throws -> Response {
        let headEnd = try fill { buffer in
            buffer.indices.dropLast(3).first {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            }
        }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.malformed }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        guard let length = headers["content-length"].flatMap({ Int($0) }) else { throw Failure.malformed }
        buffer.removeFirst(headEnd + 4)
        var body: [UInt8] = []
        var remaining = min(length, readingBody)
        while remaining > 0 {
            if buffer.isEmpty {
                try readMore(received: body.count)
            }
            let take = min(remaining, buffer.count)
            let keep = max(0, min(take, keepingBody - body.count))
            body.append(contentsOf: buffer[0..<keep])
            buffer.removeFirst(take)
            remaining -= take
        }
        return Response(status: status, headers: headers, body: body, bodyLength: length)
    }

    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil
    ) throws -> Response {
        try send(method, path, headers: headers, body: body)
        return try receive()
    }

    /// Reads until `found` locates something in the buffer.
    private func fill(until found: ([UInt8]) -> Int?) throws -> Int {
        while true {
            if let index = found(buffer) { return index }
            try readMore(received: buffer.count)
        }
    }

    private func readMore(received: Int) throws {
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
        } else if count == 0 || errno == ECONNRESET {
            throw Failure.closed(received: received + buffer.count)
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            throw Failure.timedOut
        } else {
            throw Failure.system("recv", errno)
        }
    }
}

/// Runs blocking socket work on its own thread, so that it never holds up Swift's small cooperative pool.
func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// A chat-completion request body with one user message.
func chatBody(_ content: String, model: String = "sim-test", jsonMode: Bool = false) -> String {
    var body: [String: JSONValue] = [
        "model": .string(model),
        "messages": .array([.object(["role": .string("user"), "content": .string(content)])]),
        "temperature": .number(0.2),
    ]
    if jsonMode {
        body["response_format"] = .object(["type": .string("json_object")])
    }
    return (try? JSONCoding.encodeString(JSONValue.object(body))) ?? "{}"
}

/// Carries test clients between the blocking threads of one test; one thread uses them at a time.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
}
