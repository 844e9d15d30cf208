import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

/// The simulator's Batch API over plain sockets, as a batch client sees it: files uploaded as
/// multipart forms, batches that complete after their turnaround, output and error files in
/// OpenAI's layout, injected line failures and expiry, and bad input refused or failed with its
/// line. The oracle for an answer is the simulator's online answer to the same request.
@Suite struct SimulatorBatchTests {
    static let boundary = "fcsynth-test-boundary"

    /// A `POST /v1/files` request with `purpose` and `file`, as client libraries send it.
    static func upload(
        _ content: String, purpose: String = "batch", over client: RawHTTPClient
    ) throws
        -> RawHTTPClient.Response
    {
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n\(purpose)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        let head =
            "POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        try client.write(Array((head + body).utf8))
        return try client.receive()
    }

    static func line(_ customID: String, _ content: String) -> String {
        let body = (try? JSONCoding.decode(JSONValue.self, from: Data(chatBody(content).utf8))) ?? .null
        let line: JSONValue = .object([
            "custom_id": .string(customID), "method": .string("POST"), "url": .string("/v1/chat/completions"),
            "body": body,
        ])
        return (try? JSONCoding.encodeString(line)) ?? ""
    }

    static func create(
        _ fileID: String, over client: RawHTTPClient, endpoint: String = "/v1/chat/completions"
    )
        throws -> RawHTTPClient.Response
    {
        try client.request(
            "POST", "/v1/batches",
            body: #"{"input_file_id": "\#(fileID)", "endpoint": "\#(endpoint)", "completion_window": "24h"}"#)
    }

    /// Polls the batch until it is final, for at most a generous ceiling.
    static func settled(_ id: String, port: Int) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            let batch = try await offPool { try RawHTTPClient(port: port).request("GET", "/v1/batches/\(id)").json() }
            let status = batch["status"]?.stringValue ?? ""
            if ["completed", "failed", "expired", "cancelled"].contains(status) || ContinuousClock.now > deadline {
                return batch
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func lines(of fileID: String?, port: Int) async throws -> [JSONValue] {
        guard let fileID else { return [] }
        let response = try await offPool {
            try RawHTTPClient(port: port).request("GET", "/v1/files/\(fileID)/content")
        }
        #expect(response.status == 200)
        return try response.text.split(separator: "\n").map {
            try JSONCoding.decode(JSONValue.self, from: Data($0.utf8))
        }
    }

    static let prompts = [
        "Plan a weekend trip to Lisbon.", "Find a table for two in Porto.", "Track parcel 4711.",
        "Book a flight to Oslo.",
    ]
    static var input: String {
        prompts.enumerated().map { line("scenario_extract/\($0.offset)", $0.element) }.joined(separator: "\n") + "\n"
    }

    @Test func aBatchCompletesWithTheAnswersTheOnlineEndpointGives() async throws {
        let simulator = try await SimulatorProcess.start(["--batch-turnaround-ms", "300"])
        let port = simulator.port
        let (file, created) = try await offPool {
            let client = try RawHTTPClient(port: port)
            let file = try Self.upload(Self.input, over: client)
            return (try file.json(), try Self.create(file.json()["id"]?.stringValue ?? "", over: client).json())
        }
        #expect(file["purpose"]?.stringValue == "batch" && file["bytes"]?.numberValue == Double(Self.input.utf8.count))
        #expect(created["status"]?.stringValue == "in_progress")
        #expect(created["request_counts"]?["total"]?.numberValue == Double(Self.prompts.count))

        let batch = try await Self.settled(created["id"]?.stringValue ?? "", port: port)
        #expect(batch["status"]?.stringValue == "completed", "\(batch)")
        #expect(batch["request_counts"]?["completed"]?.numberValue == Double(Self.prompts.count))
        #expect(batch["error_file_id"] == nil || batch["error_file_id"] == .null)
        let output = try await Self.lines(of: batch["output_file_id"]?.stringValue, port: port)
        #expect(output.map { $0["custom_id"]?.stringValue } == Self.prompts.indices.map { "scenario_extract/\($0)" })

        let online = try await offPool {
            let client = try RawHTTPClient(port: port)
            return try Self.prompts.map { prompt in
                try client.request(
                    "POST", "/v1/chat/completions", headers: ["X-Fcsynth-Stage": "scenario_extract"],
                    body: chatBody(prompt)
                ).content()
            }
        }
        for (line, answer) in zip(output, online) {
            #expect(line["response"]?["status_code"]?.numberValue == 200)
            let body = line["response"]?["body"]
            #expect(body?["object"]?.stringValue == "chat.completion")
            #expect(body?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == answer)
            #expect(body?["usage"]?["prompt_tokens"]?.numberValue ?? 0 > 0)
        }
        let stats = try await simulator.stats()
        #expect(stats.batches == 1 && stats.batchRequests == Self.prompts.count)
        #expect(stats.batchPromptTokens > 0 && stats.batchCompletionTokens > 0)
        #expect(stats.requestsTotal == Self.prompts.count, "batch lines counted as online requests")
    }

    @Test func failedLinesAndAnExpiredBatchGoToTheErrorFile() async throws {
        for (flags, status, answered) in [
            (["--batch-failure-rate", "1"], "completed", 0), (["--batch-expire-rate", "1"], "expired", 2),
        ] {
            let simulator = try await SimulatorProcess.start(["--batch-turnaround-ms", "0"] + flags)
            let port = simulator.port
            let created = try await offPool {
                let client = try RawHTTPClient(port: port)
                let file = try Self.upload(Self.input, over: client).json()
                return try Self.create(file["id"]?.stringValue ?? "", over: client).json()
            }
            let batch = try await Self.settled(created["id"]?.stringValue ?? "", port: port)
            #expect(batch["status"]?.stringValue == status, "\(batch)")
            let output = try await Self.lines(of: batch["output_file_id"]?.stringValue, port: port)
            let errors = try await Self.lines(of: batch["error_file_id"]?.stringValue, port: port)
            #expect(output.count == answered)
            #expect(errors.count == Self.prompts.count - answered)
            #expect(Set((output + errors).compactMap { $0["custom_id"]?.stringValue }).count == Self.prompts.count)
            for line in errors {
                if status == "expired" {
                    #expect(line["error"]?["code"]?.stringValue == "batch_expired")
                } else {
                    #expect(line["response"]?["status_code"]?.numberValue == 500)
                }
            }
            #expect(batch["request_counts"]?["completed"]?.numberValue == Double(answered))
        }
    }

    @Test func badInputIsRefusedOrFailsTheBatchWithItsLines() async throws {
        let simulator = try await SimulatorProcess.start(["--batch-turnaround-ms", "600000"])
        let port = simulator.port
        try await offPool {
            let client = try RawHTTPClient(port: port)
            #expect(try Self.create("file-none", over: client).status == 404)
            let plain = try client.request("POST", "/v1/files", body: "{}")
            #expect(plain.status == 400)
            let good = try Self.upload(Self.input, over: client).json()["id"]?.stringValue ?? ""
            #expect(try Self.create(good, over: client, endpoint: "/v1/embeddings").status == 400)
            let other = try Self.upload(Self.input, purpose: "fine-tune", over: client).json()["id"]?.stringValue
            #expect(try Self.create(other ?? "", over: client).status == 400)

            let bad = [Self.line("a", "one"), "not json", Self.line("a", "again"), #"{"custom_id": "c"}"#]
            let file = try Self.upload(bad.joined(separator: "\n"), over: client).json()["id"]?.stringValue ?? ""
            let failed = try Self.create(file, over: client).json()
            #expect(failed["status"]?.stringValue == "failed")
            let lines = failed["errors"]?["data"]?.arrayValue?.compactMap { $0["line"]?.numberValue }
            #expect(lines == [2, 3, 4], "\(failed)")

            // A batch still in progress is cancelled, with no output.
            let open = try Self.create(good, over: client).json()
            let id = open["id"]?.stringValue ?? ""
            let cancelled = try client.request("POST", "/v1/batches/\(id)/cancel").json()
            #expect(cancelled["status"]?.stringValue == "cancelled")
            #expect(cancelled["output_file_id"] == nil || cancelled["output_file_id"] == .null)
            #expect(try client.request("GET", "/v1/batches/batch-none").status == 404)
            #expect(try client.request("GET", "/v1/files/file-none/content").status == 404)
            let listed = try client.request("GET", "/v1/batches").json()["data"]?.arrayValue ?? []
            let listedIDs = listed.compactMap { $0["id"]?.stringValue }
            #expect(listedIDs.contains(id))
        }
    }
}
