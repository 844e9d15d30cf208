import FcsynthCore

/// `FILE.meta.json` beside an exported file: the run's status at export time (tokens per stage
/// and in total, for cost accounting) and what the export wrote, by model and backend.
public struct ExportMetadata: Encodable, Sendable {
    public var status: RunStatus
    public var format: ExportFormat
    public var lines: Int
    public var provenance: ProvenanceTally

    public init(status: RunStatus, format: ExportFormat, lines: Int, provenance: ProvenanceTally) {
        self.status = status
        self.format = format
        self.lines = lines
        self.provenance = provenance
    }
}
