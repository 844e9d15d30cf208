import FcsynthCore
import Foundation

/// A task as it sits in a queue: a fixed JSON header (tid, run, stage, attempt, recoveries,
/// in that order), which `Header` and the scripts' `envelope.lua` read, then the item.
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
        tid(id: item.id, stage: stage, step: item.conversation?.messages.count ?? 0)
    }

    private static func tid(id: String, stage: StageName, step: Int) -> String {
        "\(id)|\(stage.rawValue)|\(step)"
    }

    public func encoded() throws -> Data {
        var out = Self.header(tid: tid, run: run, stage: stage, attempt: attempt, recoveries: recoveries)
        try JSONTreeEncoder.write(item, to: &out)
        out.byte(UInt8(ascii: "}"))
        return Data(out.bytes)
    }

    /// The first stage's task for an input row, the same bytes as `encoded()` makes of
    /// `WorkItem(id:line:seed:)`: enqueue writes one per row, and going through a `WorkItem` and
    /// its keyed container, which visits the item's thirty-odd absent fields, was a third of its CPU.
    package static func seedEntry(run: String, id: String, line: Int, seed: String) -> Data {
        let stage = StageName.scenarioExtract
        var out = header(tid: tid(id: id, stage: stage, step: 0), run: run, stage: stage, attempt: 0, recoveries: 0)
        writeSeedItem(id: id, line: line, seed: seed, to: &out)
        out.byte(UInt8(ascii: "}"))
        return Data(out.bytes)
    }

    /// The fixed header, up to the item.
    private static func header(tid: String, run: String, stage: StageName, attempt: Int, recoveries: Int) -> JSONBytes {
        var out = JSONBytes(capacity: 4096)
        out.raw(#"{"tid":""#)
        plain(tid, to: &out)
        out.raw(#"","run":""#)
        out.rawText(run)
        out.raw(#"","stage":""#)
        out.rawText(stage.rawValue)
        out.raw(#"","attempt":"#)
        out.rawText(String(attempt))
        out.raw(#","recoveries":"#)
        out.rawText(String(recoveries))
        out.raw(#","item":"#)
        return out
    }

    /// The item's fields in the encoder's order (keys sorted), the names from its `CodingKeys`.
    private static func writeSeedItem(id: String, line: Int, seed: String, to out: inout JSONBytes) {
        typealias Key = WorkItem.CodingKeys
        out.byte(UInt8(ascii: "{"))
        out.string(Key.id.stringValue)
        out.byte(UInt8(ascii: ":"))
        out.string(id)
        out.byte(UInt8(ascii: ","))
        out.string(Key.line.stringValue)
        out.byte(UInt8(ascii: ":"))
        out.rawText(String(line))
        out.byte(UInt8(ascii: ","))
        out.string(Key.seed.stringValue)
        out.byte(UInt8(ascii: ":"))
        out.string(seed)
        out.byte(UInt8(ascii: "}"))
    }

    /// Reads an envelope; anything else (a task pushed by hand, a truncated entry) is a
    /// `PipelineError.malformedTask` with the reason.
    public static func decode(_ data: Data) throws(PipelineError) -> TaskEnvelope {
        guard let header = Header.read(data), data.last == UInt8(ascii: "}") else {
            throw .malformedTask("not a fcsynth task envelope")
        }
        guard let stage = StageName(rawValue: header.stage) else {
            throw .malformedTask("unknown stage \"\(header.stage)\"")
        }
        let itemBytes = data[data.startIndex + header.itemOffset..<data.endIndex - 1]
        let item: WorkItem
        do {
            item = try JSONCoding.decode(WorkItem.self, from: itemBytes)
        } catch {
            throw .malformedTask("the item does not decode: \(error)")
        }
        var envelope = TaskEnvelope(
            run: header.run, stage: stage, item: item, attempt: header.attempt, recoveries: header.recoveries)
        envelope.tid = header.tid
        return envelope
    }

    /// Item ids are made of digits, letters, dots and bars; this keeps a quote or backslash
    /// from breaking the header should one ever appear. Bytes, not characters: a quote that a
    /// combining mark follows is one `Character` that equals no quote.
    private static func plain(_ text: String, to out: inout JSONBytes) {
        for byte in text.utf8 {
            out.byte(byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? UInt8(ascii: "_") : byte)
        }
    }
}
