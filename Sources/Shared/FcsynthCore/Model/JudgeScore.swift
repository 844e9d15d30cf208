/// One of the judge's scores, with the one-line reason it gave.
public struct JudgeScore: Codable, Sendable, Hashable {
    /// 1 to 5.
    public var score: Int
    public var reason: String

    public init(score: Int, reason: String) {
        self.score = score
        self.reason = reason
    }

    public static let range = 1...5
}
