/// One HTTP/1.x request as the simulator reads it: the head parsed, the body raw.
package struct SimulatorHTTPRequest {
    package var method: String
    /// The target without its query string.
    package var path: String
    package var isHTTP11: Bool
    /// Names lowercased, in arrival order.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.
    package var keepAlive: Bool {
        let connection = header("connection")?.lowercased() ?? ""
        return isHTTP11 ? !connection.contains("close") : connection.contains("keep-alive")
    }
}

extension SimulatorHTTPRequest {
    package enum ParseResult {
        case incomplete
        case complete(SimulatorHTTPRequest, consumed: Int)
        /// The stream cannot be read further: answer `status` and close.
        case invalid(status: Int, message: String)
    }

    package static let maxHeadBytes = 64 * 1024
    private static let headTerminator: [UInt8] = Array("\r\n\r\n".utf8)

    /// Reads one request from `buffer[start...]` if it is all there.
    package static func parse(_ buffer: [UInt8], from start: Int, maxBodyBytes: Int) -> ParseResult {
        guard let headEnd = headEnd(in: buffer, from: start) else {
            return buffer.count - start > maxHeadBytes
                ? .invalid(status: 431, message: "request head exceeds \(maxHeadBytes) bytes") : .incomplete
        }
        let head = String(decoding: buffer[start..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        let requestLine = (lines.next() ?? "").split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .invalid(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else {
                return .invalid(status: 400, message: "malformed header line")
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers.append((name, value))
        }
        var request = SimulatorHTTPRequest(
            method: String(requestLine[0]),
            path: String(requestLine[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]),
            isHTTP11: requestLine[2] == "HTTP/1.1",
            headers: headers,
            body: []
        )
        if request.header("transfer-encoding") != nil {
            return .invalid(status: 411, message: "chunked request bodies are not supported; send Content-Length")
        }
        let bodyStart = headEnd + headTerminator.count
        let lengthText = request.header("content-length")
        guard let length = lengthText.map({ Int($0) }) ?? 0, length >= 0 else {
            return .invalid(status: 400, message: "malformed Content-Length")
        }
        if length > maxBodyBytes {
            return .invalid(status: 413, message: "request body exceeds \(maxBodyBytes) bytes")
        }
        guard buffer.count - bodyStart >= length else { return .incomplete }
        request.body = Array(buffer[bodyStart..<bodyStart + length])
        return .complete(request, consumed: bodyStart + length - start)
    }

    private static func headEnd(in buffer: [UInt8], from start: Int) -> Int? {
        var index = start
        let last = buffer.count - headTerminator.count
        while index <= last {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
