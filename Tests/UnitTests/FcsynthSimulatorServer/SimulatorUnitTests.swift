import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthSimulatorServer

/// The simulator's pieces on their own: directives, the HTTP parser, timers, latency, options.
@Suite struct SimulatorUnitTests {
    @Test func scansDirectivesWithAndWithoutCountAndTag() {
        let directives = FaultDirective.scan(
            "a [[sim:429*2#x]] b [[sim:hang]] [[sim:nope*1]] [[sim:500#t]] [[sim:fence*z]]")
        #expect(
            directives == [
                FaultDirective(token: "[[sim:429*2#x]]", fault: .rateLimited, limit: 2),
                FaultDirective(token: "[[sim:hang]]", fault: .hang, limit: nil),
                FaultDirective(token: "[[sim:500#t]]", fault: .serverError, limit: nil),
            ])
        #expect(FaultDirective.scan("no directive [[sim:500").isEmpty)
    }

    @Test func runsOutAfterNCarriersPerExactToken() {
        var ledger = FaultDirectiveLedger()
        let first = [ChatMessage.system("s"), .user("go [[sim:500*2#a]]")]
        let other = [ChatMessage.user("go [[sim:500*2#b]]")]
        #expect(ledger.fault(for: first) == .serverError)
        #expect(ledger.fault(for: other) == .serverError)
        #expect(ledger.fault(for: first) == .serverError)
        #expect(ledger.fault(for: first) == nil)
        #expect(ledger.fault(for: other) == .serverError)
        #expect(ledger.fault(for: other) == nil)
        #expect(ledger.fault(for: [.user("plain")]) == nil)
    }

    @Test func takesTheFirstDirectiveThatHasNotRunOut() {
        var ledger = FaultDirectiveLedger()
        let messages = [ChatMessage.user("[[sim:reset*1#c]] then [[sim:fence*2#c]]")]
        #expect(ledger.fault(for: messages) == .reset)
        #expect(ledger.fault(for: messages) == .fence)
        #expect(ledger.fault(for: messages) == nil)
    }

    @Test func parsesRequestsAsTheyArrive() throws {
        let text =
            "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: a\r\nX-Fcsynth-Stage:  atom_task \r\nContent-Length: 4\r\n\r\nbodyGET /health HTTP/1.0\r\n\r\n"
        let bytes = Array(text.utf8)
        #expect(isIncomplete(SimulatorHTTPRequest.parse(Array(bytes[0..<20]), from: 0, maxBodyBytes: 100)))
        #expect(isIncomplete(SimulatorHTTPRequest.parse(Array(bytes[0..<90]), from: 0, maxBodyBytes: 100)))
        guard case .complete(let first, let consumed) = SimulatorHTTPRequest.parse(bytes, from: 0, maxBodyBytes: 100)
        else {
            Issue.record("the first request did not parse")
            return
        }
        #expect(first.method == "POST")
        #expect(first.path == "/v1/chat/completions")
        #expect(first.header("x-fcsynth-stage") == "atom_task")
        #expect(first.body == Array("body".utf8))
        #expect(first.keepAlive)
        guard case .complete(let second, _) = SimulatorHTTPRequest.parse(bytes, from: consumed, maxBodyBytes: 100)
        else {
            Issue.record("the second request did not parse")
            return
        }
        #expect(second.path == "/health")
        #expect(!second.keepAlive)
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        ("NONSENSE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
    ])
    func refusesRequestsItCannotRead(text: String, status: Int) {
        guard case .invalid(let refused, _) = SimulatorHTTPRequest.parse(Array(text.utf8), from: 0, maxBodyBytes: 100)
        else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
        #expect(refused == status)
    }

    @Test func firesTimersInDeadlineOrder() {
        var heap = SimulatorTimerHeap()
        var generator = SplitMix64(seed: 5)
        let deadlines = (0..<200).map { _ in UInt64.random(in: 1...1_000_000, using: &generator) }
        for (index, deadline) in deadlines.enumerated() {
            heap.push(.init(deadline: deadline, connection: UInt64(index), exchange: 0))
        }
        #expect(heap.timeoutMilliseconds(now: 0) == 1)
        #expect(heap.popDue(now: 0) == nil)
        var fired: [UInt64] = []
        while let timer = heap.popDue(now: .max) {
            fired.append(timer.deadline)
        }
        #expect(fired == deadlines.sorted())
        #expect(heap.timeoutMilliseconds(now: 0) == -1)
    }

    @Test func samplesLognormalLatencyAroundTheMedian() {
        let latency = SimulatorLatency.lognormal(medianMilliseconds: 200, sigma: 0.6)
        var generator = SplitMix64(seed: 9)
        let samples = (0..<4001).map { _ in latency.sample(using: &generator) }.sorted()
        #expect(abs(samples[2000] - 0.2) < 0.02)
        #expect(samples.first! > 0)
        var again = SplitMix64(seed: 9)
        #expect(latency.sample(using: &again) != SimulatorLatency.fixed(milliseconds: 200).sample(using: &again))
        #expect(SimulatorLatency.fixed(milliseconds: 200).sample(using: &generator) == 0.2)
    }

    @Test func tellsLoopbackHostsApart() throws {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "localhost", "::ffff:127.0.0.1"] {
            #expect(try SimulatorOptions.isLoopback(host: host), "\(host)")
        }
        for host in ["0.0.0.0", "10.0.0.1", "::"] {
            #expect(try !SimulatorOptions.isLoopback(host: host), "\(host)")
        }
        #expect(throws: SimulatorOptionsError.invalidHost("example.com")) {
            try SimulatorOptions.isLoopback(host: "example.com")
        }
    }

    @Test func parsesFaultLists() throws {
        #expect(try SimulatorFault.list("500, 429,hang") == [.serverError, .rateLimited, .hang])
        #expect(throws: SimulatorOptionsError.unknownFault("503")) { try SimulatorFault.list("500,503") }
    }

    @Test func readsOpenAIRequestShapes() throws {
        let body = #"""
            {"model":"m","temperature":0.1,"max_completion_tokens":9,"response_format":{"type":"json_object"},
             "messages":[{"role":"developer","content":"d"},{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
                         {"role":"assistant","content":null},{"role":"tool","content":"r"}]}
            """#
        let incoming = try SimulatorWire.decode(Array(body.utf8), call: "conv_tool")
        #expect(incoming.model == "m")
        #expect(
            incoming.request
                == ChatRequest(
                    call: "conv_tool",
                    messages: [.system("d"), .user("ab"), .assistant(""), ChatMessage(role: .tool, content: "r")],
                    temperature: 0.1,
                    maxTokens: 9,
                    jsonMode: true
                ))
        #expect(throws: SimulatorWire.DecodingFailure.self) {
            try SimulatorWire.decode(Array(#"{"messages":[]}"#.utf8), call: nil)
        }
        #expect(throws: SimulatorWire.DecodingFailure.self) {
            try SimulatorWire.decode(Array(#"{"messages":[{"role":"wizard","content":"x"}]}"#.utf8), call: nil)
        }
    }

    @Test func keepsTheLastHourOfPerSecondCounts() {
        var stats = SimulatorStats()
        for second in 0..<(SimulatorStats.secondsKept + 10) {
            stats.recordArrival(call: nil, unixSecond: 1_000_000 + second)
        }
        #expect(stats.perSecond.count <= SimulatorStats.secondsKept)
        #expect(stats.perSecond[String(1_000_000 + SimulatorStats.secondsKept + 9)] == 1)
        #expect(stats.perSecond["1000000"] == nil)
        #expect(stats.requestsTotal == SimulatorStats.secondsKept + 10)
        #expect(stats.maxInFlight == stats.inFlight)
    }

    private func isIncomplete(_ result: SimulatorHTTPRequest.ParseResult) -> Bool {
        if case .incomplete = result { return true }
        return false
    }
}
