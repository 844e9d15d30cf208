import Foundation

/// What an endpoint said about its limits on one answer: OpenAI's `x-ratelimit-*` headers,
/// which many gateways copy. Absent headers stay nil.
public struct RateLimitHeaders: Sendable, Hashable {
    public var limitRequests: Int?
    public var remainingRequests: Int?
    /// Seconds until the request budget is whole again.
    public var resetRequests: Double?
    public var limitTokens: Int?
    public var remainingTokens: Int?
    /// Seconds until the token budget is whole again.
    public var resetTokens: Double?

    public init() {}

    public var isEmpty: Bool { self == RateLimitHeaders() }

    /// Whether the answer says a budget is spent.
    public var isExhausted: Bool { remainingRequests == 0 || remainingTokens == 0 }

    /// The wait until a spent budget lets one more call through, as far as the headers tell:
    /// the reset time spread over the units it refills (a budget refills steadily), else the
    /// whole reset time. Nil while nothing is spent.
    public var waitForSpentBudget: Double? {
        var wait: Double?
        if remainingRequests == 0, let reset = resetRequests {
            wait = max(wait ?? 0, limitRequests.map { reset / Double(max($0, 1)) } ?? reset)
        }
        if remainingTokens == 0, let reset = resetTokens {
            wait = max(wait ?? 0, reset)
        }
        return wait
    }

    /// Takes one header line (`Name: value`, any case); false when it is none of these.
    @discardableResult
    public mutating func absorb(line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        guard name.hasPrefix("x-ratelimit-") else { return false }
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        switch name.dropFirst("x-ratelimit-".count) {
        case "limit-requests": limitRequests = Int(value)
        case "remaining-requests": remainingRequests = Int(value)
        case "reset-requests": resetRequests = Self.seconds(value)
        case "limit-tokens": limitTokens = Int(value)
        case "remaining-tokens": remainingTokens = Int(value)
        case "reset-tokens": resetTokens = Self.seconds(value)
        default: return false
        }
        return true
    }

    /// Reads a reset time as OpenAI writes it, `20ms`, `1s`, `6m0s`, `1h2m3.5s`, or a bare number of
    /// seconds; nil for anything else.
    public static func seconds(_ text: String) -> Double? {
        if let plain = Double(text), plain >= 0 { return plain }
        var total = 0.0
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isNumber || character == "." {
                number.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            if rest.hasPrefix("ms") {
                total += value / 1000
                rest = rest.dropFirst(2)
            } else if character == "h" || character == "m" || character == "s" {
                total += value * (character == "h" ? 3600 : character == "m" ? 60 : 1)
                rest = rest.dropFirst()
            } else {
                return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}
