/// One HTTP answer. A `streamedFiller` body is generated while it is written, never held whole.
package struct SimulatorHTTPResponse {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// Filler bytes sent after `body`, counted in Content-Length.
    package var streamedFiller = 0

    package init(
        status: Int, contentType: String = "application/json", headers: [(name: String, value: String)] = [],
        body: [UInt8]
    ) {
        self.status = status
        self.headers = [("Content-Type", contentType)] + headers
        self.body = body
    }

    package init(status: Int, json: String, headers: [(name: String, value: String)] = []) {
        self.init(status: status, headers: headers, body: Array(json.utf8))
    }

    /// The head and the fixed part of the body, ready for the socket.
    package func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for header in headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(body.count + streamedFiller)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }
}
