import FcsynthCore

/// `FILE.meta.json` beside an exported file: the run's status at export time (tokens per stage
/// and in total, for cost accounting), what the export wrote, by model and backend, and the
/// run's dataset report.
public struct ExportMetadata: Encodable, Sendable {
    public var status: RunStatus
    public var format: ExportFormat
    /// How the lines were laid out; nil for raw, which keeps the record whole.
    public var style: ExportStyle?
    public var lines: Int
    public var provenance: ProvenanceTally
    /// The figures `fcsynth report` shows, of the whole run (not only the lines this export wrote).
    public var report: DatasetReport?
    /// Function-schema values rewritten to keep each schema path of one JSON type in the file
    /// (`SchemaLayoutTracker`), by kind; empty when none was needed, nil for sharegpt, whose
    /// schemas are JSON text.
    public var schemaRewrites: [String: Int]?

    public init(
        status: RunStatus, format: ExportFormat, style: ExportStyle? = nil, lines: Int, provenance: ProvenanceTally,
        report: DatasetReport? = nil, schemaRewrites: [String: Int]? = nil
    ) {
        self.status = status
        self.format = format
        self.style = format == .raw ? nil : style
        self.lines = lines
        self.provenance = provenance
        self.report = report
        self.schemaRewrites = format == .sharegpt ? nil : schemaRewrites ?? [:]
    }

    enum CodingKeys: String, CodingKey {
        case status, format, style, lines, provenance, report
        case schemaRewrites = "schema_rewrites"
    }
}
