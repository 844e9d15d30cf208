import FcsynthCore
/// A fault that a request asks for by itself: `[[sim:KIND*N#TAG]]` anywhere in a message's content
/// means fault KIND for the first N requests carrying that exact token, then normal answers.
/// `*N` and `#TAG` may be left out; without `*N` every carrier gets the fault.
package struct FaultDirective: Hashable {
    package let token: String
    package let fault: SimulatorFault
    package let limit: Int?

    private static let opening = Array("[[sim:".utf8)
    private static let closing = Array("]]".utf8)

    /// The well-formed directives in `text`, in order.
    package static func scan(_ text: String) -> [FaultDirective] {
        let bytes = Array(text.utf8)
        var found: [FaultDirective] = []
        var index = 0
        while let start = bytes.firstRange(of: opening, from: index) {
            guard let end = bytes.firstRange(of: closing, from: start.upperBound) else { break }
            let token = String(decoding: bytes[start.lowerBound..<end.upperBound], as: UTF8.self)
            let spec = String(decoding: bytes[start.upperBound..<end.lowerBound], as: UTF8.self)
            if let directive = parse(spec: spec, token: token) {
                found.append(directive)
            }
            index = end.upperBound
        }
        return found
    }

    private static func parse(spec: String, token: String) -> FaultDirective? {
        let head = spec.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = head.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false)
        guard let fault = SimulatorFault(rawValue: String(parts[0])) else { return nil }
        guard parts.count == 2 else { return FaultDirective(token: token, fault: fault, limit: nil) }
        guard let limit = Int(parts[1]), limit >= 0 else { return nil }
        return FaultDirective(token: token, fault: fault, limit: limit)
    }
}

/// Counts the requests that carried each directive token, so that `*N` runs out.
package struct FaultDirectiveLedger {
    private var carried: [String: Int] = [:]

    /// The fault `messages` call for: the first of their directives that has not run out.
    /// Every directive carried counts the request, whether or not it applies.
    package mutating func fault(for messages: [ChatMessage]) -> SimulatorFault? {
        var chosen: SimulatorFault?
        var seen: Set<String> = []
        for message in messages where message.content.utf8Offset(of: "[[sim:") != nil {
            for directive in FaultDirective.scan(message.content) where seen.insert(directive.token).inserted {
                carried[directive.token, default: 0] += 1
                if chosen == nil, directive.limit.map({ carried[directive.token]! <= $0 }) ?? true {
                    chosen = directive.fault
                }
            }
        }
        return chosen
    }
}

extension Array where Element: Equatable {
    fileprivate func firstRange(of pattern: [Element], from start: Int) -> Range<Int>? {
        guard !pattern.isEmpty, count >= pattern.count else { return nil }
        var index = start
        while index <= count - pattern.count {
            if self[index] == pattern[0], self[index..<index + pattern.count].elementsEqual(pattern) {
                return index..<index + pattern.count
            }
            index += 1
        }
        return nil
    }
}
