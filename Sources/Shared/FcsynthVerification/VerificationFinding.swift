/// One violation of a rule, located by a JSONPath-like path into the messages.
public struct VerificationFinding: Sendable, Hashable, CustomStringConvertible {
    public var rule: VerificationRule
    public var path: String
    public var detail: String

    public init(rule: VerificationRule, path: String, detail: String) {
        self.rule = rule
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(rule.rawValue) at \(path): \(detail)" }
}
