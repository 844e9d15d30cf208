import FcsynthCore
import Foundation

/// The simulator's side of OpenAI's Batch API: uploaded files, and batches that complete a
/// set time after they are created. Every line is answered by the simulated model as a chat
/// completion would be; `failureRate` sends a share of lines to the error file, and `expireRate`
/// expires a share of batches with only their first half answered. Touched by the loop thread only.
package struct SimulatorBatches {
    /// A file as `GET /v1/files/{id}` describes it.
    package struct FileObject: Codable, Sendable, Equatable {
        package var id: String
        package var object = "file"
        package var bytes: Int
        package var createdAt: Int
        package var filename: String
        package var purpose: String

        enum CodingKeys: String, CodingKey {
            case id, object, bytes, filename, purpose
            case createdAt = "created_at"
        }
    }

    /// A batch as `GET /v1/batches/{id}` describes it.
    package struct BatchObject: Codable, Sendable, Equatable {
        package struct Counts: Codable, Sendable, Equatable {
            package var total = 0
            package var completed = 0
            package var failed = 0
        }

        package struct Errors: Codable, Sendable, Equatable {
            package struct Item: Codable, Sendable, Equatable {
                package var code: String
                package var message: String
                package var line: Int?
            }

            package var object = "list"
            package var data: [Item]
        }

        package var id: String
        package var object = "batch"
        package var endpoint: String
        package var errors: Errors?
        package var inputFileID: String
        package var completionWindow: String
        package var status: String
        package var outputFileID: String?
        package var errorFileID: String?
        package var createdAt: Int
        package var completedAt: Int?
        package var failedAt: Int?
        package var expiredAt: Int?
        package var cancelledAt: Int?
        package var requestCounts = Counts()
        package var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, object, endpoint, errors, status, metadata
            case inputFileID = "input_file_id"
            case completionWindow = "completion_window"
            case outputFileID = "output_file_id"
            case errorFileID = "error_file_id"
            case createdAt = "created_at"
            case completedAt = "completed_at"
            case failedAt = "failed_at"
            case expiredAt = "expired_at"
            case cancelledAt = "cancelled_at"
            case requestCounts = "request_counts"
        }

        package var isFinal: Bool { ["completed", "failed", "expired", "cancelled"].contains(status) }
    }

    /// `GET /v1/batches`: every batch, oldest first.
    package struct BatchList: Encodable {
        package var object = "list"
        package var data: [BatchObject]
    }

    /// A refused request: the HTTP status and the message of the error body.
    package struct Refusal: Error, Equatable {
        package var status: Int
        package var message: String
    }

    /// One line of a batch's input, read and checked.
    package struct Line {
        package var customID: String
        package var incoming: SimulatorWire.Incoming
    }

    /// The most requests one batch may hold, as OpenAI allows.
    package static let maxRequests = 50_000
    package static let endpoint = "/v1/chat/completions"

    private struct StoredFile {
        var object: FileObject
        var content: [UInt8]
    }

    private struct Record {
        var object: BatchObject
        var lines: [Line]
        var answers: [Result<ChatResponse, SimulatorBatches.Refusal>]?
        /// When the batch may complete, on the loop's monotonic clock (ns).
        var due: UInt64
    }

    package let turnaroundNanoseconds: UInt64
    package let failureRate: Double
    package let expireRate: Double
    package let seed: UInt64
    private var files: [String: StoredFile] = [:]
    private var batches: [String: Record] = [:]
    private var order: [String] = []
    private var nextID = 1
    /// Lines answered and their tokens since `takeBilled()` last took them.
    private var billedLines = 0
    private var billedUsage = TokenUsage()

    package init(turnaroundMilliseconds: Int, failureRate: Double, expireRate: Double, seed: UInt64) {
        turnaroundNanoseconds = UInt64(max(0, turnaroundMilliseconds)) * 1_000_000
        self.failureRate = failureRate
        self.expireRate = expireRate
        self.seed = seed
    }

    private mutating func newID(_ prefix: String) -> String {
        defer { nextID += 1 }
        return "\(prefix)-sim-\(nextID)"
    }

    private static func unixNow() -> Int { Int(Date().timeIntervalSince1970) }

    /// What completed batches answered since the last call, for the stats.
    package mutating func takeBilled() -> (lines: Int, usage: TokenUsage) {
        defer { (billedLines, billedUsage) = (0, TokenUsage()) }
        return (billedLines, billedUsage)
    }

    // MARK: Files

    package mutating func upload(body: [UInt8], contentType: String) throws(Refusal) -> FileObject {
        guard let form = SimulatorMultipart(body: body, contentType: contentType) else {
            throw Refusal(status: 400, message: "the body must be multipart/form-data with 'purpose' and 'file'")
        }
        guard let purpose = form.part("purpose").map({ String(decoding: $0.content, as: UTF8.self) }) else {
            throw Refusal(status: 400, message: "missing 'purpose'")
        }
        guard let file = form.part("file") else { throw Refusal(status: 400, message: "missing 'file'") }
        return store(Array(file.content), filename: file.filename ?? "upload.jsonl", purpose: purpose)
    }

    private mutating func store(_ content: [UInt8], filename: String, purpose: String) -> FileObject {
        let object = FileObject(
            id: newID("file"), bytes: content.count, createdAt: Self.unixNow(), filename: filename, purpose: purpose)
        files[object.id] = StoredFile(object: object, content: content)
        return object
    }

    package func file(_ id: String) -> FileObject? { files[id]?.object }

    package func content(_ id: String) -> [UInt8]? { files[id]?.content }

    package mutating func deleteFile(_ id: String) -> Bool { files.removeValue(forKey: id) != nil }

    // MARK: Batches

    /// Creates a batch from `POST /v1/batches`. A request that names no usable file is refused;
    /// a file with a bad line gives a batch that failed its validation, each error with its line.
    package mutating func create(body: [UInt8], now: UInt64) throws(Refusal) -> (BatchObject, [Line]) {
        struct Request: Decodable {
            var inputFileID: String
            var endpoint: String
            var completionWindow: String
            var metadata: [String: String]?

            enum CodingKeys: String, CodingKey {
                case endpoint, metadata
                case inputFileID = "input_file_id"
                case completionWindow = "completion_window"
            }
        }
        let request: Request
        do {
            request = try JSONCoding.decode(Request.self, from: Data(body))
        } catch {
            throw Refusal(status: 400, message: "not a batch request: \(error)")
        }
        guard request.endpoint == Self.endpoint else {
            throw Refusal(status: 400, message: "endpoint must be \(Self.endpoint), not \(request.endpoint)")
        }
        guard request.completionWindow == "24h" else {
            throw Refusal(status: 400, message: "completion_window must be 24h")
        }
        guard let input = files[request.inputFileID] else {
            throw Refusal(status: 404, message: "no file \(request.inputFileID)")
        }
        guard input.object.purpose == "batch" else {
            throw Refusal(
                status: 400, message: "file \(request.inputFileID) has purpose \(input.object.purpose), not batch")
        }
        var object = BatchObject(
            id: newID("batch"), endpoint: request.endpoint, inputFileID: request.inputFileID,
            completionWindow: request.completionWindow, status: "in_progress", createdAt: Self.unixNow(),
            metadata: request.metadata)
        let (lines, errors) = Self.read(input.content)
        if !errors.isEmpty {
            object.status = "failed"
            object.failedAt = object.createdAt
            object.errors = BatchObject.Errors(data: errors)
        }
        object.requestCounts.total = errors.isEmpty ? lines.count : 0
        let record = Record(
            object: object, lines: errors.isEmpty ? lines : [], answers: nil, due: now + turnaroundNanoseconds)
        batches[object.id] = record
        order.append(object.id)
        return (object, record.lines)
    }

    /// The input's lines, or every error found in them, each with its line number.
    private static func read(_ content: [UInt8]) -> ([Line], [BatchObject.Errors.Item]) {
        var lines: [Line] = []
        var errors: [BatchObject.Errors.Item] = []
        var seen: Set<String> = []
        for (index, raw) in content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
        {
            let number = index + 1
            if raw.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            func refuse(_ message: String) {
                errors.append(.init(code: "invalid_request", message: message, line: number))
            }
            guard case .object(let fields)? = raw.withUnsafeBufferPointer({ JSONParser.parse(bytes: $0) }) else {
                refuse("not a JSON object")
                continue
            }
            guard case .string(let customID)? = fields["custom_id"], !customID.isEmpty else {
                refuse("no custom_id")
                continue
            }
            guard seen.insert(customID).inserted else {
                refuse("custom_id \(customID) repeats an earlier line")
                continue
            }
            guard fields["method"] == .string("POST"), fields["url"] == .string(endpoint) else {
                refuse("method must be POST and url \(endpoint)")
                continue
            }
            guard let body = fields["body"], let bytes = try? JSONCoding.encode(body) else {
                refuse("no body")
                continue
            }
            // A line carries no headers: the call name that X-Fcsynth-Stage gives an online
            // request comes before the first "/" of the custom_id, when there is one.
            let call = customID.split(separator: "/", maxSplits: 1).count == 2 ? customID.prefix { $0 != "/" } : nil
            do {
                let incoming = try SimulatorWire.decode(Array(bytes), call: call.map(String.init))
                lines.append(Line(customID: customID, incoming: incoming))
            } catch {
                refuse(error.message)
            }
        }
        if lines.count > maxRequests {
            errors.append(
                .init(code: "too_many_requests", message: "a batch holds at most \(maxRequests) requests", line: nil))
        }
        if lines.isEmpty && errors.isEmpty {
            errors.append(.init(code: "empty_file", message: "the input file holds no request", line: nil))
        }
        return (lines, errors)
    }

    /// The model's answers to a batch's lines, in their order.
    package mutating func answered(_ id: String, _ answers: [Result<ChatResponse, Refusal>]) {
        batches[id]?.answers = answers
    }

    /// The batch as it stands at `now`: one whose time has come and whose answers are in is
    /// completed (or expired) here, its output and error files written.
    package mutating func batch(_ id: String, now: UInt64) -> BatchObject? {
        guard var record = batches[id] else { return nil }
        if record.object.status == "in_progress", now >= record.due, let answers = record.answers {
            finish(&record, answers)
            batches[id] = record
        }
        return record.object
    }

    package mutating func list(now: UInt64) -> BatchList {
        BatchList(data: order.compactMap { batch($0, now: now) })
    }

    package mutating func cancel(_ id: String, now: UInt64) -> BatchObject? {
        guard var object = batch(id, now: now) else { return nil }
        if !object.isFinal {
            object.status = "cancelled"
            object.cancelledAt = Self.unixNow()
            batches[id]?.object = object
        }
        return object
    }

    private mutating func finish(_ record: inout Record, _ answers: [Result<ChatResponse, Refusal>]) {
        let expires = Self.draw("expire", record.object.id, seed: seed) < expireRate
        var output: [UInt8] = []
        var failures: [UInt8] = []
        for (index, (line, answer)) in zip(record.lines, answers).enumerated() {
            let requestID = "req-sim-\(record.object.id)-\(index + 1)"
            if expires && index >= record.lines.count / 2 {
                failures += Self.errorLine(
                    line.customID, requestID: requestID, code: "batch_expired",
                    message: "This request could not be executed before the completion window expired.")
                continue
            }
            switch answer {
            // Drawn per batch and line: a line sent again in a later batch fails or not afresh,
            // as a provider's transient failures do.
            case .success(let response)
            where Self.draw("fail", record.object.id + "/" + line.customID, seed: seed) >= failureRate:
                let usage = SimulatorWire.usage(
                    promptCharacters: line.incoming.promptCharacters, content: response.content)
                let body = SimulatorWire.completion(
                    id: "chatcmpl-sim-\(record.object.id)-\(index + 1)",
                    model: BackendIdentity.simulated.model + "/" + line.incoming.model, content: response.content,
                    finishReason: response.finishReason ?? "stop", usage: usage,
                    serviceTier: line.incoming.serviceTier)
                output += Self.outputLine(line.customID, requestID: requestID, status: 200, body: body)
                record.object.requestCounts.completed += 1
                billedLines += 1
                billedUsage = billedUsage + usage
            case .success:
                let body = SimulatorWire.error("the simulator failed this line (injected fault)", type: "server_error")
                failures += Self.outputLine(line.customID, requestID: requestID, status: 500, body: body)
                record.object.requestCounts.failed += 1
            case .failure(let refusal):
                let body = SimulatorWire.error(refusal.message, type: "server_error")
                failures += Self.outputLine(line.customID, requestID: requestID, status: refusal.status, body: body)
                record.object.requestCounts.failed += 1
            }
        }
        let now = Self.unixNow()
        if !output.isEmpty {
            record.object.outputFileID = store(output, filename: "batch_output.jsonl", purpose: "batch_output").id
        }
        if !failures.isEmpty {
            record.object.errorFileID = store(failures, filename: "batch_errors.jsonl", purpose: "batch_output").id
        }
        if expires {
            record.object.status = "expired"
            record.object.expiredAt = now
        } else {
            record.object.status = "completed"
            record.object.completedAt = now
        }
    }

    private static func outputLine(_ customID: String, requestID: String, status: Int, body: [UInt8]) -> [UInt8] {
        let response: JSONValue = .object([
            "status_code": .number(Double(status)), "request_id": .string(requestID),
            "body": body.withUnsafeBufferPointer { JSONParser.parse(bytes: $0) } ?? .null,
        ])
        let line: JSONValue = .object([
            "id": .string("batch_req_\(requestID)"), "custom_id": .string(customID), "response": response,
            "error": .null,
        ])
        return ((try? Array(JSONCoding.encode(line))) ?? []) + [UInt8(ascii: "\n")]
    }

    private static func errorLine(_ customID: String, requestID: String, code: String, message: String) -> [UInt8] {
        let line: JSONValue = .object([
            "id": .string("batch_req_\(requestID)"), "custom_id": .string(customID), "response": .null,
            "error": .object(["code": .string(code), "message": .string(message)]),
        ])
        return ((try? Array(JSONCoding.encode(line))) ?? []) + [UInt8(ascii: "\n")]
    }

    /// A draw in [0, 1) fixed by what it is for and whom: a line fails, or a batch expires, the
    /// same way every time the simulator is started with the same seed.
    private static func draw(_ purpose: String, _ subject: String, seed: UInt64) -> Double {
        var generator = SplitMix64(seed: seed ^ StableHash.fnv1a("\(purpose):\(subject)".utf8))
        return generator.nextUnit()
    }
}
