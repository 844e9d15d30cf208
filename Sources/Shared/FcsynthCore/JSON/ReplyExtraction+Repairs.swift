import Foundation

extension ReplyExtraction {
    /// Closing tags of the reasoning some models write before their answer.
    private static let reasoningEnds = ["</think>", "</thinking>", "</reasoning>"]
    private static let reasoningStarts = ["<think>", "<thinking>", "<reasoning>"]

    /// The JSON object of a reply, with the repairs it took. The answer is what follows a
    /// model's reasoning, never a draft inside it. Repairs are tried only once the reply as
    /// written has failed, and only those whose meaning is certain: trailing commas, single
    /// quotes, and a one-element list around the object.
    public static func repairedObject(
        in reply: String
    ) throws(ReplyParseError) -> (value: JSONValue, repairs: [ReplyRepair]) {
        var repairs: [ReplyRepair] = []
        var text = reply
        if let end = reasoningEnds.compactMap({ reply.range(of: $0, options: [.backwards, .caseInsensitive]) })
            .max(by: { $0.upperBound < $1.upperBound })
        {
            text = String(reply[end.upperBound...])
            repairs.append(.reasoningRemoved)
        } else if reasoningStarts.contains(where: { reply.range(of: $0, options: .caseInsensitive) != nil }) {
            throw .onlyReasoning
        }
        let failure: ReplyParseError
        do {
            return (try jsonObject(in: text), repairs)
        } catch {
            failure = error
        }
        if let unwrapped = onlyObject(inList: text) {
            return (unwrapped, repairs + [.arrayUnwrapped])
        }
        var repaired = text
        var applied: [ReplyRepair] = []
        let withoutCommas = JSONTextRepair.removingTrailingCommas(repaired)
        if withoutCommas != repaired {
            repaired = withoutCommas
            applied.append(.trailingCommas)
        }
        let doubleQuoted = JSONTextRepair.replacingSingleQuotes(repaired)
        if doubleQuoted != repaired {
            repaired = doubleQuoted
            applied.append(.singleQuotes)
        }
        guard !applied.isEmpty, let value = try? jsonObject(in: repaired) else { throw failure }
        return (value, repairs + applied)
    }

    /// `[{...}]`, bare or in a code fence: the one object a list holds.
    private static func onlyObject(inList text: String) -> JSONValue? {
        var body = Substring(text).trimmingCharacters(in: .whitespacesAndNewlines)[...]
        if body.hasPrefix("```") {
            body = body.drop { $0 != "\n" }
            if body.hasSuffix("```") { body = body.dropLast(3) }
        }
        guard case .array(let elements)? = JSONParser.parse(String(body)), elements.count == 1,
            elements[0].objectValue != nil
        else { return nil }
        return elements[0]
    }
}
