import Foundation
import FcsynthCore

/// A task as it sits in a queue: a fixed JSON header the Lua scripts read by pattern
/// (tid, run, stage, attempt, recoveries, in that order), then the item.
public struct TaskEnvelope: Sendable, Hashable {
    /// Unique among the run's live tasks: item id, stage, and step within the stage.
    public var tid: String
    public var run: String
    public var stage: StageName
    /// Failed attempts so far (LLM errors, retries a stage asked for).
    public var attempt: Int
    /// Times a worker died holding it.
    public var recoveries: Int
    public var item: WorkItem

    public init(run: String, stage: StageName, item: WorkItem, attempt: Int = 0, recoveries: Int = 0) {
        self.tid = Self.tid(stage: stage, item: item)
        self.run = run
        self.stage = stage
        self.attempt = attempt
        self.recoveries = recoveries
        self.item = item
    }

    /// Conversation steps share a stage, so the step number keeps their tids apart.
    package static func tid(stage: StageName, item: WorkItem) -> String {
        "\(item.id)|\(stage.rawValue)|\(item.conversation?.messages.count ?? 0)"
    }

    public func encoded() throws -> Data {
        var out = JSONBytes(capacity: 4096)
        out.raw(#"{"tid":""#)
        out.rawText(Self.plain(tid))
        out.raw(#"","run":""#)
        out.rawText(run)
        out.raw(#"","stage":""#)
        out.rawText(stage.rawValue)
        out.raw(#"","attempt":"#)
        out.rawText(String(attempt))
        out.raw(#","recoveries":"#)
        out.rawText(String(recoveries))
        out.raw(#","item":"#)
        try JSONTreeEncoder.write(item, to: &out)
        out.byte(UInt8(ascii: "}"))
        return Data(out.bytes)
    }

    /// Reads an envelope; anything else (a task pushed by hand, a truncated entry) is a
    /// `PipelineError.malformedTask` with the reason.
    public static func decode(_ data: Data) throws(PipelineError) -> TaskEnvelope {
        var reader = HeaderReader(bytes: data)
        guard let tid = reader.string(after: #"{"tid":""#),
              let run = reader.string(after: #","run":""#),
              let stageName = reader.string(after: #","stage":""#),
              let attempt = reader.integer(after: #","attempt":"#),
              let recoveries = reader.integer(after: #","recoveries":"#),
              reader.skip(#","item":"#),
              data.last == UInt8(ascii: "}") else {
            throw .malformedTask("not a fcsynth task envelope")
        }
        guard let stage = StageName(rawValue: stageName) else {
            throw .malformedTask("unknown stage \"\(stageName)\"")
        }
        let itemBytes = data[data.startIndex + reader.offset..<data.endIndex - 1]
        let item: WorkItem
        do {
            item = try JSONCoding.decode(WorkItem.self, from: itemBytes)
        } catch {
            throw .malformedTask("the item does not decode: \(error)")
        }
        var envelope = TaskEnvelope(run: run, stage: stage, item: item, attempt: attempt, recoveries: recoveries)
        envelope.tid = tid
        return envelope
    }

    /// Item ids are made of digits, letters, dots and bars; this keeps a quote or backslash
    /// from breaking the header should one ever appear.
    private static func plain(_ text: String) -> String {
        text.contains(where: { $0 == "\"" || $0 == "\\" }) ? text.replacingOccurrences(of: "\"", with: "_").replacingOccurrences(of: "\\", with: "_") : text
    }
}

/// Walks the envelope's fixed header without a JSON parser.
private struct HeaderReader {
    let bytes: Data
    var offset = 0

    mutating func skip(_ literal: String) -> Bool {
        let literalBytes = Array(literal.utf8)
        guard bytes.count - offset >= literalBytes.count else { return false }
        let start = bytes.startIndex + offset
        guard bytes[start..<start + literalBytes.count].elementsEqual(literalBytes) else { return false }
        offset += literalBytes.count
        return true
    }

    mutating func string(after literal: String) -> String? {
        guard skip(literal) else { return nil }
        let start = bytes.startIndex + offset
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        offset = end - bytes.startIndex + 1
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func integer(after literal: String) -> Int? {
        guard skip(literal) else { return nil }
        var value = 0
        var digits = 0
        while offset < bytes.count, let digit = Optional(bytes[bytes.startIndex + offset]), digit >= 0x30, digit <= 0x39 {
            value = value * 10 + Int(digit - 0x30)
            offset += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
