import FcsynthCore

/// The whole record (messages, tools, functions with their `responses`, lineage with its
/// provenance, usage) in `ConversationRecord`'s own `Codable` form, so that a raw line decodes
/// back to the record. Written by the tree encoder: the record's `Codable` conformance is the
/// one definition of its layout.
public struct RawFormatter: ConversationFormatter {
    public init() {}

    public func line(for record: ConversationRecord) throws -> [UInt8] {
        try formatting(record, as: .raw) { () throws(ExportFailure) in
            do {
                return try JSONTreeEncoder.encode(record)
            } catch {
                throw ExportFailure("\(error)")
            }
        }
    }
}
