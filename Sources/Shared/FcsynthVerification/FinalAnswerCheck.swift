import FcsynthCore

/// The final answer is grounded: it carries values of the results it sums up, states no
/// figure that neither a result nor the user gave (nor one derived from them), and claims no
/// failure the results contradict.
enum FinalAnswerCheck {
    /// Whole-answer claims that nothing worked; a partial "could not find X" is left alone,
    /// since an answer may rightly say that one part failed.
    static let failureClaims = [
        "nothing was found", "found nothing", "no results", "none were found", "nothing found",
        "all failed", "everything failed", "was unsuccessful", "could not complete",
        "unable to complete", "no matching results", "did not return any",
    ]

    /// Each of `failureClaims` with its form normalised as the answer is.
    private static let failureClaimForms = failureClaims.map { (claim: $0, normalized: TextForms.normalized($0)) }

    static func findings(in messages: [OutputMessage], sources given: MessageSources) -> [VerificationFinding] {
        guard let index = messages.lastIndex(where: { $0.role == .assistant }),
            (messages[index].toolCalls ?? []).isEmpty, let answer = messages[index].content
        else { return [] }
        let results = given.results[..<index].compactMap { $0 }
        guard !results.isEmpty else { return [] }
        let path = "$.messages[\(index)].content"
        let text = TextForms.normalized(answer)
        let numbers = TextForms.numbers(in: answer, normalized: text)
        var findings: [VerificationFinding] = []

        var sources = SourceText()
        for position in 0..<index where messages[position].role == .user || messages[position].role == .system {
            if let text = given.texts[position] { sources.add(text) }
        }
        for position in 0..<index where given.results[position] != nil {
            if let result = given.texts[position] { sources.add(result) }
        }

        let keyValues = results.flatMap(keyValues(of:))
        if !keyValues.isEmpty, !keyValues.contains(where: { mentions(text, numbers: numbers, $0) }) {
            findings.append(
                VerificationFinding(
                    rule: .finalAnswer, path: path,
                    detail: "the answer carries none of the results' values"))
        }
        // Each figure once, in the order the answer states it: a record's findings are then the
        // same in every process (a Set's order is seeded per process).
        var stated = Set<Double>()
        for number in numbers
        where stated.insert(number).inserted && !(number == number.rounded() && (1...10).contains(number))
            && !sources.holds(number: number) && !sources.derives(number: number, summarising: true)
        {
            findings.append(
                VerificationFinding(
                    rule: .derivedValue, path: path,
                    detail: "the answer states \(SourceText.render(number)), which no result or request gives"))
        }
        if let claim = failureClaimForms.first(where: { TextForms.contains(text, phrase: $0.normalized) })?.claim,
            !results.contains(where: signalsFailure)
        {
            findings.append(
                VerificationFinding(
                    rule: .finalAnswer, path: path,
                    detail: "the answer says \"\(claim)\", but the results hold data and no error"))
        }
        return findings
    }

    /// Values worth repeating to the user: names, ids, figures; not long text or keys.
    private static func keyValues(of result: JSONValue) -> [JSONValue] {
        switch result {
        case .string(let text):
            // A list written one item a line is several values.
            text.contains("\n")
                ? text.split(separator: "\n").map { String($0) }.filter { (2...60).contains($0.count) }.map(
                    JSONValue.string)
                : (2...60).contains(text.count) ? [result] : []
        case .number: [result]
        case .bool, .null: []
        case .array(let elements): elements.flatMap(keyValues(of:))
        case .object(let members): members.values.flatMap(keyValues(of:))
        }
    }

    /// Strings are compared in the normalised answer; numbers with those read from the answer
    /// as written, where "355.57" still has its decimal point.
    private static func mentions(_ text: String, numbers: [Double], _ value: JSONValue) -> Bool {
        switch value {
        case .string(let string): TextForms.variants(of: string).contains { TextForms.contains(text, phrase: $0) }
        case .number(let number):
            numbers.contains {
                abs($0 - number) < 0.005 || abs($0 - number.rounded()) < 1e-9 || abs(abs($0) - abs(number)) < 0.005
            }
        default: false
        }
    }

    /// A result that says something went wrong or found nothing.
    static func signalsFailure(_ result: JSONValue) -> Bool {
        switch result {
        case .object(let members):
            if members.isEmpty { return true }
            if members["error"] != nil || members["errors"] != nil || members["success"] == .bool(false) { return true }
            if let status = members["status"]?.stringValue,
                ["failed", "failure", "error", "not_found", "unavailable", "rejected", "cancelled", "declined"]
                    .contains(status.lowercased())
            {
                return true
            }
            return members.values.contains { $0.arrayValue?.isEmpty == true }
                || members.values.contains(where: signalsFailure)
        case .array(let elements):
            return elements.isEmpty
        default:
            return false
        }
    }
}
