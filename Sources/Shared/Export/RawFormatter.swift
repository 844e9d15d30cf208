import Foundation

/// The whole record (messages, tools, functions with their `responses`, lineage, usage) as
/// `ConversationRecord`'s own `Codable` form, so that a raw line decodes back to the record.
public struct RawFormatter: ConversationFormatter {
    public init() {}

    public func line(for record: ConversationRecord) throws -> [UInt8] {
        do {
            return Array(try JSONCoding.encode(record))
        } catch {
            throw ExportError(format: .raw, recordId: record.id, reason: "\(error)")
        }
    }
}
