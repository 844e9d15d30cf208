import Foundation
import Synchronization

@testable import FcsynthCore
@testable import FcsynthStages

/// How much of each call's prompt a prefix cache can serve: for every request, the longest
/// prefix it shares with any earlier request of the same call, over all the call's prompt
/// bytes. A prompt is its messages in order, each as role and content, which is how chat
/// templates lay them out. Providers cache from 1,024 tokens in 128-token steps: `cacheable`
/// counts only such steps, at 4 bytes a token.
struct PromptPrefixShare {
    struct Tally {
        var requests = 0
        var bytes = 0
        var shared = 0
        var cacheable = 0
        var share: Double { bytes == 0 ? 0 : Double(shared) / Double(bytes) }
        var cacheableShare: Double { bytes == 0 ? 0 : Double(cacheable) / Double(bytes) }
    }

    private(set) var calls: [String: Tally] = [:]
    /// Per call, the earlier prompts in byte order: the longest prefix a new prompt shares
    /// with any of them is the one it shares with a neighbour in that order.
    private var earlier: [String: [[UInt8]]] = [:]

    static func bytes(of request: ChatRequest) -> [UInt8] {
        var bytes: [UInt8] = []
        for message in request.messages {
            bytes += Array(message.role.rawValue.utf8) + [0x0A] + Array(message.content.utf8) + [0x0A]
        }
        return bytes
    }

    mutating func add(_ request: ChatRequest) {
        let prompt = Self.bytes(of: request)
        var sorted = earlier[request.call] ?? []
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].lexicographicallyPrecedes(prompt) { low = middle + 1 } else { high = middle }
        }
        var longest = 0
        for neighbour in [low - 1, low] where sorted.indices.contains(neighbour) {
            longest = max(longest, Self.commonPrefix(sorted[neighbour], prompt))
        }
        sorted.insert(prompt, at: low)
        earlier[request.call] = sorted
        var tally = calls[request.call] ?? Tally()
        tally.requests += 1
        tally.bytes += prompt.count
        tally.shared += longest
        tally.cacheable += longest >= 4096 ? longest / 512 * 512 : 0
        calls[request.call] = tally
    }

    var total: Tally {
        calls.values.reduce(into: Tally()) { sum, tally in
            sum.requests += tally.requests
            sum.bytes += tally.bytes
            sum.shared += tally.shared
            sum.cacheable += tally.cacheable
        }
    }

    private static func commonPrefix(_ left: [UInt8], _ right: [UInt8]) -> Int {
        var index = 0
        let end = min(left.count, right.count)
        while index < end && left[index] == right[index] { index += 1 }
        return index
    }
}

/// A backend that keeps every request it is asked, in order, and lets `base` answer.
final class PromptRecordingLLM: LLMBackend {
    let base: any LLMBackend
    private let recorded = Mutex<[ChatRequest]>([])

    init(base: any LLMBackend) {
        self.base = base
    }

    var identity: BackendIdentity { base.identity }
    var requests: [ChatRequest] { recorded.withLock { $0 } }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        recorded.withLock { $0.append(request) }
        return try await base.complete(request)
    }
}
