import FcsynthCore

/// What the generators were shown must not show in what a model will learn from: the hints
/// in the assistant's text, function names in the user's, sub-task text in the system prompt.
enum LeakChecks {
    static func findings(in conversation: VerifiableConversation) -> [VerificationFinding] {
        var findings: [VerificationFinding] = []
        let names = conversation.functions.map(\.name)
        for (index, message) in conversation.messages.enumerated() {
            let text = message.content ?? ""
            let path = "$.messages[\(index)].content"
            switch message.role {
            case .assistant:
                let words = TextForms.normalized(text)
                if TextForms.contains(words, phrase: "hint") || TextForms.contains(words, phrase: "hints") {
                    findings.append(
                        VerificationFinding(
                            rule: .hintLeak, path: path, detail: "the assistant mentions hints it was given"))
                }
            case .user:
                for name in names where Self.names(name, in: text) {
                    findings.append(
                        VerificationFinding(
                            rule: .functionNameInUser, path: path,
                            detail: "the user names the function \(name)"))
                }
            case .system:
                guard let plan = conversation.plan else { continue }
                let words = TextForms.normalized(text)
                for (step, subTask) in plan.subTasks.enumerated() where copies(subTask, into: words) {
                    findings.append(
                        VerificationFinding(
                            rule: .subTaskInSystem, path: path,
                            detail: "the system prompt holds the text of sub-task \(step + 1)"))
                }
            case .tool:
                continue
            }
        }
        return findings
    }

    /// A name written as code: with an underscore, an inner capital or a digit, it is named
    /// whenever it stands as a word; a plain word ("search") only in backticks or before "(".
    static func names(_ name: String, in text: String) -> Bool {
        guard !name.isEmpty else { return false }
        var text = text
        if name.utf8.isPlainASCII,
            let found = text.withUTF8({ $0.isPlainASCII ? names(name, inASCII: $0) : nil })
        {
            return found
        }
        if text.contains("`\(name)`") || text.contains("\(name)(") { return true }
        guard isCodeLike(name) else { return false }
        var searchStart = text.startIndex
        while let range = text.range(of: name, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let isWordCharacter = { (character: Character?) in
                character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
            }
            if !isWordCharacter(before), !isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// `names(_:in:)` where every byte of name and text is one Character: the same search on bytes.
    private static func names(_ name: String, inASCII text: UnsafeBufferPointer<UInt8>) -> Bool {
        if text.firstOffset(of: "`\(name)`") != nil || text.firstOffset(of: "\(name)(") != nil { return true }
        guard isCodeLike(name) else { return false }
        let isWordByte = { (byte: UInt8) in
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
        }
        let length = name.utf8.count
        var start = 0
        while let offset = text.firstOffset(of: name, from: start) {
            let end = offset + length
            if offset == 0 || !isWordByte(text[offset - 1]), end == text.count || !isWordByte(text[end]) { return true }
            start = end
        }
        return false
    }

    /// With an underscore, an inner capital or a digit.
    private static func isCodeLike(_ name: String) -> Bool {
        let characters = Array(name)
        return name.contains("_") || name.contains(where: \.isNumber)
            || zip(characters, characters.dropFirst()).contains { $0.isLowercase && $1.isUppercase }
    }

    /// Eight words in a row of the sub-task, or the whole of a shorter one of four words or more.
    private static func copies(_ subTask: String, into text: String) -> Bool {
        let words = TextForms.words(of: TextForms.normalized(subTask)).map(String.init)
        guard words.count >= 4 else { return false }
        let window = min(8, words.count)
        for start in 0...(words.count - window)
        where TextForms.contains(text, phrase: words[start..<(start + window)].joined(separator: " ")) {
            return true
        }
        return false
    }
}
