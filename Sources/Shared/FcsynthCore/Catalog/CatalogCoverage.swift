/// How a catalog run used each catalog function: what the stages planned with it (run
/// counters) and what the kept conversations called (the output), so that a function that
/// was never used says why.
public struct CatalogCoverage: Codable, Sendable, Hashable {
    public struct Entry: Codable, Sendable, Hashable {
        public var name: String
        /// Items whose atomic task was written for it.
        public var leads: Int
        /// Compositions that planned it for another step than the atomic task.
        public var partners: Int
        /// Kept conversations that call it, in all; and those in which it is the only function called.
        public var kept: Int
        public var keptAlone: Int
        /// Why no kept conversation calls it; nil when one does.
        public var unusedBecause: String?

        public init(
            name: String, leads: Int, partners: Int, kept: Int, keptAlone: Int, unusedBecause: String? = nil
        ) {
            self.name = name
            self.leads = leads
            self.partners = partners
            self.kept = kept
            self.keptAlone = keptAlone
            self.unusedBecause = unusedBecause
        }

        package enum CodingKeys: String, CodingKey {
            case name, leads, partners, kept
            case keptAlone = "kept_alone"
            case unusedBecause = "unused_because"
        }
    }

    public var catalog: String
    public var functions: [Entry]

    public init(catalog: String, functions: [Entry]) {
        self.catalog = catalog
        self.functions = functions
    }

    /// The functions no kept conversation calls.
    public var unused: [Entry] { functions.filter { $0.kept == 0 } }

    /// The run counter of items led by `name`.
    public static func leadCounter(_ name: String) -> String { "catalog_lead:" + name }
    /// The run counter of compositions that planned `name` for a later step.
    public static func partnerCounter(_ name: String) -> String { "catalog_partner:" + name }
}
