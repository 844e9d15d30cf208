import FcsynthCore

/// A fault that a request asks for by itself: `[[sim:KIND*N#TAG]]` anywhere in a message's content
/// means fault KIND for the first N requests carrying that exact token, then normal answers.
/// `*N` and `#TAG` may be left out; without `*N` every carrier gets the fault.
package struct FaultDirective: Hashable {
    package let token: String
    package let fault: SimulatorFault
    package let limit: Int?

    fileprivate static let opening = "[[sim:"
    private static let closing = "]]"

    /// The well-formed directives in `text`, in order.
    package static func scan(_ text: String) -> [FaultDirective] {
        var text = text
        return text.withUTF8 { bytes in
            var found: [FaultDirective] = []
            var index = 0
            while let start = bytes.firstOffset(of: opening, from: index) {
                let specStart = start + opening.utf8.count
                guard let end = bytes.firstOffset(of: closing, from: specStart) else { break }
                index = end + closing.utf8.count
                let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                let spec = String(decoding: UnsafeBufferPointer(rebasing: bytes[specStart..<end]), as: UTF8.self)
                if let directive = parse(spec: spec, token: token) {
                    found.append(directive)
                }
            }
            return found
        }
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
        for message in messages where message.content.utf8Offset(of: FaultDirective.opening) != nil {
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
