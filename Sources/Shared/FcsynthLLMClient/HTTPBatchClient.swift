import FcsynthCore
import Foundation
import Logging

/// A `BatchEndpoint` for OpenAI's Batch API and compatible ones, beside the chat-completions
/// endpoint of the same options: `{base}/files` and `{base}/batches`. Transport errors, 429 and
/// 5xx are retried within the options' retry policy; the key never reaches an error.
public final class HTTPBatchClient: BatchEndpoint {
    public let options: LLMClientOptions
    public let limits: BatchLimits
    private let loop: CurlMultiLoop
    private let base: String
    private let authorization: [String]
    /// Output files hold every answer of a batch: far more than one completion.
    private static let maxFileBytes = 1 << 30
    private static let boundary = "fcsynth-batch-boundary-7f3a9c"

    public init(options: LLMClientOptions, limits: BatchLimits = .openAI) throws {
        guard let scheme = URL(string: options.baseURL)?.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw LLMConfigurationError.invalidURL
        }
        self.options = options
        self.limits = limits
        var base = Substring(options.baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.base = String(base)
        authorization = options.apiKey.map { ["Authorization: Bearer \($0.secret)"] } ?? []
        loop = try CurlMultiLoop(maxConnections: 4)
    }

    deinit {
        loop.shutdown()
    }

    public var identity: BackendIdentity {
        BackendIdentity(kind: .http, endpoint: options.endpointHost, model: options.model)
    }

    /// The path a batch line names: the chat-completions endpoint's, from the host on.
    private var completionsPath: String {
        let path = URLComponents(string: options.completionsURL)?.path ?? ""
        return path.isEmpty ? "/v1/chat/completions" : path
    }

    public func upload(_ requests: [BatchRequest]) async throws(LLMError) -> String {
        var file = Data()
        for line in requests {
            let body: Data
            do {
                body = try ChatCompletionBody(
                    model: options.model, request: line.request, format: ResponseFormatLevel(asked: line.request)
                ).encoded()
            } catch {
                throw .invalidResponse("a batch line could not be encoded: \(error)")
            }
            let bodyValue = (try? JSONCoding.decode(JSONValue.self, from: body)) ?? .null
            let object: JSONValue = .object([
                "custom_id": .string(line.customID), "method": .string("POST"), "url": .string(completionsPath),
                "body": bodyValue,
            ])
            guard let encoded = try? JSONCoding.encode(object) else {
                throw .invalidResponse("a batch line could not be encoded")
            }
            file += encoded + Data("\n".utf8)
        }
        var form = Data()
        form += Data(
            "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n".utf8)
        form += Data(
            ("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fcsynth-batch.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n").utf8)
        form += file + Data("\r\n--\(Self.boundary)--\r\n".utf8)
        let reply = try await json(
            "POST", "/files", body: form, contentType: "multipart/form-data; boundary=\(Self.boundary)")
        guard let id = reply["id"]?.stringValue else { throw .invalidResponse("the uploaded file has no id") }
        return id
    }

    public func create(inputFile: String, metadata: [String: String]) async throws(LLMError) -> BatchJob {
        let request: JSONValue = .object([
            "input_file_id": .string(inputFile), "endpoint": .string(completionsPath),
            "completion_window": .string("24h"), "metadata": .object(metadata.mapValues(JSONValue.string)),
        ])
        let body = (try? JSONCoding.encode(request)) ?? Data()
        return try Self.job(from: try await json("POST", "/batches", body: body))
    }

    public func job(_ id: String) async throws(LLMError) -> BatchJob {
        try Self.job(from: try await json("GET", "/batches/\(Self.pathPart(id))"))
    }

    public func find(metadata: [String: String], searching: Int) async throws(LLMError) -> BatchJob? {
        var seen = 0
        var after: String?
        while seen < searching {
            let query = "?limit=100" + (after.map { "&after=\(Self.pathPart($0))" } ?? "")
            let page = try await json("GET", "/batches" + query)
            let items = page["data"]?.arrayValue ?? []
            for item in items {
                let job = try Self.job(from: item)
                if metadata.allSatisfy({ job.metadata[$0.key] == $0.value }) { return job }
            }
            seen += items.count
            guard page["has_more"]?.boolValue == true, let last = items.last?["id"]?.stringValue else { return nil }
            after = last
        }
        return nil
    }

    /// Lines without a custom id, or that are not JSON, are skipped: their requests count as
    /// unanswered, and go into a later batch.
    public func results(of job: BatchJob) async throws(LLMError) -> [BatchResult] {
        var results: [BatchResult] = []
        for file in [job.outputFileID, job.errorFileID].compactMap({ $0 }) {
            let content = try await fetch(
                "GET", "/files/\(Self.pathPart(file))/content", body: Data(), contentType: nil,
                maxBytes: Self.maxFileBytes)
            for raw in content.split(separator: UInt8(ascii: "\n")) {
                guard let line = try? JSONCoding.decode(JSONValue.self, from: Data(raw)),
                    let customID = line["custom_id"]?.stringValue
                else { continue }
                results.append(BatchResult(customID: customID, outcome: Self.outcome(of: line)))
            }
        }
        return results
    }

    public func cancel(_ id: String) async throws(LLMError) -> BatchJob {
        try Self.job(from: try await json("POST", "/batches/\(Self.pathPart(id))/cancel", body: Data()))
    }

    private static func outcome(of line: JSONValue) -> BatchResult.Outcome {
        if let error = line["error"], error != .null {
            return .failed(
                code: error["code"]?.stringValue ?? "error", message: error["message"]?.stringValue ?? "no message")
        }
        guard let response = line["response"], let status = response["status_code"]?.numberValue else {
            return .failed(code: "no_response", message: "the line has neither a response nor an error")
        }
        let body = response["body"].flatMap { try? JSONCoding.encode($0) } ?? Data()
        guard (200..<300).contains(Int(status)) else {
            let message =
                response["body"]?["error"]?["message"]?.stringValue ?? HTTPExchange.excerpt(of: body, limit: 500)
            return .failed(code: "http_\(Int(status))", message: message)
        }
        do {
            return .answered(try HTTPExchange.chatResponse(body))
        } catch {
            return .failed(code: error.kind, message: error.description)
        }
    }

    private static func job(from value: JSONValue) throws(LLMError) -> BatchJob {
        guard let id = value["id"]?.stringValue, let statusText = value["status"]?.stringValue,
            let status = BatchJob.Status(rawValue: statusText)
        else {
            throw .invalidResponse("not a batch object")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in value["metadata"]?.objectValue ?? [:] {
            if let text = entry.stringValue { metadata[key] = text }
        }
        let errors = (value["errors"]?["data"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue }
        return BatchJob(
            id: id, status: status, outputFileID: value["output_file_id"]?.stringValue,
            errorFileID: value["error_file_id"]?.stringValue, metadata: metadata, errors: errors)
    }

    /// An id as one segment of a path: ids are letters, digits, `_` and `-`, but the
    /// provider's word is not taken for it.
    private static func pathPart(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "_-"))) ?? ""
    }

    private func json(
        _ method: String, _ path: String, body: Data = Data(), contentType: String? = "application/json"
    ) async throws(LLMError) -> JSONValue {
        let bytes = try await fetch(
            method, path, body: body, contentType: method == "GET" ? nil : contentType,
            maxBytes: options.maxResponseBytes)
        guard let value = try? JSONCoding.decode(JSONValue.self, from: bytes) else {
            throw .invalidResponse(
                "undecodable body (\(bytes.count) bytes): \(HTTPExchange.excerpt(of: bytes, limit: 200))")
        }
        return value
    }

    /// One request, retried as the chat client retries its calls.
    private func fetch(
        _ method: String, _ path: String, body: Data, contentType: String?, maxBytes: Int
    ) async throws(LLMError) -> Data {
        let requestBody = RequestBody(body)
        let headers = authorization + (contentType.map { ["Content-Type: \($0)", "Expect:"] } ?? [])
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do throws(LLMError) {
                let transfer = try CurlTransfer(
                    CurlTransfer.Settings(
                        url: base + path, body: requestBody, headers: headers, timeout: options.requestTimeout,
                        connectTimeout: options.connectTimeout, maxResponseBytes: maxBytes, isGet: method == "GET"))
                let exchange: HTTPExchange
                do {
                    exchange = try await loop.perform(transfer)
                } catch let error as LLMError {
                    throw error
                } catch {
                    throw LLMError.transport(.other, message: "\(error)")
                }
                guard (200..<300).contains(exchange.status) else {
                    throw LLMError.httpStatus(
                        exchange.status, message: exchange.errorMessage,
                        retryAfter: exchange.retryAfter.flatMap { RetryAfter.parse($0) }?.inSeconds)
                }
                return exchange.body
            } catch {
                let error = options.apiKey.map(error.redacting) ?? error
                guard error.isRetryable, attempt < options.retry.maxAttempts else { throw error }
                let delay = options.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter, using: &generator)
                try? await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }
}
