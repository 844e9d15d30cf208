import FcsynthCore
import Foundation

/// Executes catalog functions at the user's sandbox (`--tool-executor URL`): each call is one
/// `POST URL` of `{"name", "arguments"}`, and the JSON body that comes back is the result.
///
/// - 2xx: the result; a body `{"error": {"code"?, "message"}}` is the call's error.
/// - 404: a `not_found` error; any other 4xx: `invalid_input`. The body's message (or its
///   excerpt) is the error message the assistant sees.
/// - 5xx, a timeout or no connection: `ToolExecutorError`, and the step is retried.
///
/// A bearer token for the sandbox comes from the worker's environment
/// (`FCSYNTH_TOOL_EXECUTOR_TOKEN`), never from the run's settings.
public final class HTTPToolExecutor: ToolExecutor {
    public let url: String
    public let endpoint: String
    private let headers: [String]
    private let timeout: Duration
    private let loop: CurlMultiLoop
    private static let maxResultBytes = 1 << 20

    public init(url: String, token: String? = nil, timeout: Duration = .seconds(30)) throws {
        guard let components = URLComponents(string: url), let host = components.host,
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw ToolExecutorError("\"\(url)\" is not an http(s) URL")
        }
        self.url = url
        endpoint = components.port.map { "\(host):\($0)" } ?? host
        headers =
            ["Content-Type: application/json", "Expect:"] + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
        self.timeout = timeout
        loop = try CurlMultiLoop(maxConnections: 16)
    }

    deinit {
        loop.shutdown()
    }

    public func execute(name: String, arguments: JSONValue) async throws -> ToolExecution {
        let body = try JSONCoding.encode(JSONValue.object(["name": .string(name), "arguments": arguments]))
        let exchange: HTTPExchange
        do {
            let transfer = try CurlTransfer(
                CurlTransfer.Settings(
                    url: url, body: RequestBody(body), headers: headers, timeout: timeout,
                    connectTimeout: .seconds(10), maxResponseBytes: Self.maxResultBytes))
            exchange = try await loop.perform(transfer)
        } catch {
            throw ToolExecutorError("\(endpoint) did not answer \(name): \(error)")
        }
        let parsed = try? JSONCoding.decode(JSONValue.self, from: exchange.body)
        switch exchange.status {
        case 200..<300:
            guard let result = parsed else {
                throw ToolExecutorError(
                    "\(endpoint) answered \(name) with a body that is not JSON: \(HTTPExchange.excerpt(of: exchange.body, limit: 200))"
                )
            }
            if let error = result["error"], error != .null {
                let kind = error["code"]?.stringValue.flatMap(ToolErrorKind.init(rawValue:)) ?? .invalidInput
                return .error(kind: kind, message: Self.message(error["message"] ?? error, name: name))
            }
            return .result(result)
        case 400..<500:
            let kind: ToolErrorKind = exchange.status == 404 ? .notFound : .invalidInput
            let message =
                parsed.map { $0["error"]?["message"] ?? $0["message"] ?? $0 }
                ?? .string(HTTPExchange.excerpt(of: exchange.body, limit: 200))
            return .error(kind: kind, message: Self.message(message, name: name))
        default:
            throw ToolExecutorError("\(endpoint) failed on \(name) with HTTP \(exchange.status)")
        }
    }

    /// A non-empty message: an error result must say what went wrong.
    private static func message(_ value: JSONValue, name: String) -> String {
        let text = value.stringValue ?? JSONRendering.render(value)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "\(name) failed" : trimmed
    }
}
