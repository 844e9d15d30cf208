import FcsynthCore

/// How far an export to a file got, saved beside it (`FILE.progress.json`) after every synced
/// batch, so that a restarted `export --follow` resumes after the last line it wrote: the file
/// is cut back to `bytes` (dropping lines written after the last save) and reading goes on after
/// `streamID`.
public struct ExportProgress: Codable, Sendable, Hashable {
    public var run: String
    public var format: ExportFormat
    /// Nil in progress saved before styles, which was written in the standard one.
    public var style: ExportStyle?
    /// The last stream entry handled (written, refused or left out); nil: none yet.
    public var streamID: String?
    public var bytes: UInt64 = 0
    public var lines = 0
    /// Entries the format could not express.
    public var refused = 0
    public var provenance = ProvenanceTally()
    /// Whether the lines were written with masked function names; nil in files from before masking.
    public var maskedFunctionNames: Bool?
    /// The schema types written so far and the rewrites that kept them (`SchemaLayoutTracker`);
    /// nil before the first line, and in files from before the tracker.
    public var schemaLayout: SchemaLayoutTracker?

    public init(run: String, format: ExportFormat) {
        self.run = run
        self.format = format
    }

    /// `record` with its function schemas fitted to the types this file already holds, which
    /// then include the record's (`SchemaLayoutTracker`). Called just before the line is written;
    /// a record the format then refuses leaves its types behind, which can only make a later
    /// value be rewritten that need not have been, never a file that does not load.
    public mutating func fitted(_ record: ConversationRecord) -> ConversationRecord {
        // Taken out and put back so that the tracker's tables are changed in place, not copied per line.
        var layout = schemaLayout ?? SchemaLayoutTracker()
        schemaLayout = nil
        defer { schemaLayout = layout }
        return layout.fitted(record, for: format)
    }

    /// Every stream entry this export has accounted for.
    public var handled: Int { lines + refused + provenance.excludedSimulated }

    package enum CodingKeys: String, CodingKey {
        case run, format, style, bytes, lines, refused, provenance
        case streamID = "stream_id"
        case maskedFunctionNames = "masked_function_names"
        case schemaLayout = "schema_layout"
    }
}
