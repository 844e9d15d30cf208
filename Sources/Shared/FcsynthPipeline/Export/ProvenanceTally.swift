import FcsynthCore

/// What an export wrote, by who made it: the models that answered and the backends, so that
/// a file's metadata says how much of it is real model output.
public struct ProvenanceTally: Codable, Sendable, Hashable {
    /// Records by the model that answered their calls; a record answered by several models
    /// counts once for each.
    public var models: [String: Int] = [:]
    /// Records by backend (`http`, `simulated`), and `unknown` for records that carry no provenance.
    public var backends: [String: Int] = [:]
    /// Records left out because they were simulated or could not say how they were made.
    public var excludedSimulated = 0

    public init() {}

    public mutating func count(_ record: ConversationRecord) {
        guard let provenance = record.lineage.provenance else {
            backends["unknown", default: 0] += 1
            return
        }
        backends[
            provenance.isSimulated ? BackendIdentity.Kind.simulated.rawValue : provenance.backend.rawValue, default: 0] +=
            1
        for model in Set(provenance.models.values) { models[model, default: 0] += 1 }
    }

    /// Whether `record` stays in an export that leaves out simulated data: only records that
    /// state a real backend do.
    public static func isReal(_ record: ConversationRecord) -> Bool {
        record.lineage.provenance.map { !$0.isSimulated } ?? false
    }

    package enum CodingKeys: String, CodingKey {
        case models, backends
        case excludedSimulated = "excluded_simulated"
    }
}
