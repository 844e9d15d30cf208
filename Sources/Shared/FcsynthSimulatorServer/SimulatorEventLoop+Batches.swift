import FcsynthCore
import Foundation

/// The Batch API's routes: `/v1/files` to upload and download batch files, `/v1/batches` to
/// create, read, list and cancel batches (`SimulatorBatches` holds them).
extension SimulatorEventLoop {
    package func routeBatchAPI(_ request: SimulatorHTTPRequest, on connection: SimulatorConnection) {
        let parts = request.path.split(separator: "/").map(String.init)
        let now = Self.now()
        let response: SimulatorHTTPResponse
        switch (request.method, parts.count, parts.count > 1 ? parts[1] : "") {
        case ("POST", 2, "files"):
            response = Self.reply { () throws(SimulatorBatches.Refusal) in
                try batches.upload(body: request.body, contentType: request.header("content-type") ?? "")
            }
        case ("GET", 3, "files"):
            response = Self.found(batches.file(parts[2]), "file \(parts[2])")
        case ("DELETE", 3, "files"):
            response =
                batches.deleteFile(parts[2])
                ? SimulatorHTTPResponse(status: 200, json: #"{"id":"\#(parts[2])","object":"file","deleted":true}"#)
                : Self.notFound("file \(parts[2])")
        case ("GET", 4, "files") where parts[3] == "content":
            response =
                batches.content(parts[2]).map {
                    SimulatorHTTPResponse(status: 200, contentType: "application/octet-stream", body: $0)
                } ?? Self.notFound("file \(parts[2])")
        case ("POST", 2, "batches"):
            response = createBatch(request.body, now: now)
        case ("GET", 2, "batches"):
            response = Self.encoded(batches.list(now: now))
        case ("GET", 3, "batches"):
            response = Self.found(batches.batch(parts[2], now: now), "batch \(parts[2])")
        case ("POST", 4, "batches") where parts[3] == "cancel":
            response = Self.found(batches.cancel(parts[2], now: now), "batch \(parts[2])")
        default:
            response = SimulatorHTTPResponse(
                status: 404,
                body: SimulatorWire.error(
                    "no route for \(request.method) \(request.path)", type: "invalid_request_error"))
        }
        let billed = batches.takeBilled()
        stats.batchRequests += billed.lines
        stats.batchPromptTokens += billed.usage.promptTokens
        stats.batchCompletionTokens += billed.usage.completionTokens
        send(response, on: connection, keepAlive: request.keepAlive)
    }

    /// Creates the batch and has the simulated model answer its lines off the loop thread.
    private func createBatch(_ body: [UInt8], now: UInt64) -> SimulatorHTTPResponse {
        let created: (SimulatorBatches.BatchObject, [SimulatorBatches.Line])
        do {
            created = try batches.create(body: body, now: now)
        } catch {
            return Self.refused(error)
        }
        let (object, lines) = created
        stats.batches += 1
        if !lines.isEmpty {
            let backend = self.backend
            let mailbox = self.mailbox
            let requests = lines.map(\.incoming.request)
            Task {
                var answers: [Result<ChatResponse, SimulatorBatches.Refusal>] = []
                for request in requests {
                    do {
                        answers.append(.success(try await backend.complete(request)))
                    } catch {
                        answers.append(.failure(.init(status: 500, message: "the simulated model failed: \(error)")))
                    }
                }
                mailbox.post(.batchAnswered(batch: object.id, answers: answers))
            }
        }
        return Self.encoded(object)
    }

    private static func reply<T: Encodable>(
        _ body: () throws(SimulatorBatches.Refusal) -> T
    ) -> SimulatorHTTPResponse {
        do {
            return encoded(try body())
        } catch {
            return refused(error)
        }
    }

    private static func found<T: Encodable>(_ value: T?, _ what: String) -> SimulatorHTTPResponse {
        guard let value else { return notFound(what) }
        return encoded(value)
    }

    private static func encoded<T: Encodable>(_ value: T) -> SimulatorHTTPResponse {
        SimulatorHTTPResponse(status: 200, body: (try? Array(JSONCoding.encode(value))) ?? [])
    }

    private static func refused(_ refusal: SimulatorBatches.Refusal) -> SimulatorHTTPResponse {
        SimulatorHTTPResponse(
            status: refusal.status, body: SimulatorWire.error(refusal.message, type: "invalid_request_error"))
    }

    private static func notFound(_ what: String) -> SimulatorHTTPResponse {
        SimulatorHTTPResponse(status: 404, body: SimulatorWire.error("no \(what)", type: "invalid_request_error"))
    }
}
