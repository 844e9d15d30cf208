/// Why a ShareGPT line would not load in LLaMA-Factory.
public struct ShareGPTViolation: Error, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
