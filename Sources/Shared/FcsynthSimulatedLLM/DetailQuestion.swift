import FcsynthCore
import Foundation

extension SimulatedLLM {
    /// How the simulated assistant asks for details a call needs and the request does not
    /// give, and how the simulated user answers: one fixed phrasing each, so that the
    /// simulator can read its own questions and answers back.
    package enum DetailQuestion {
        package struct Detail: Hashable {
            /// The parameter's description, lower-cased: what the question names.
            package var description: String
            package var isNumber: Bool

            package init(schema: JSONValue, name: String) {
                let text = schema["description"]?.stringValue ?? name.replacingOccurrences(of: "_", with: " ")
                description = text.prefix(1).lowercased() + text.dropFirst()
                let type = schema["type"]?.stringValue
                isNumber = type == "integer" || type == "number"
            }

            package init(description: String, isNumber: Bool) {
                self.description = description
                self.isNumber = isNumber
            }
        }

        private static let opening = "Before I go on, I need a few details: "
        private static let closing = ". What should I use?"
        private static let numberMark = " (a number)"

        package static func question(_ details: [Detail]) -> String {
            opening + details.map { $0.description + ($0.isNumber ? numberMark : "") }.joined(separator: "; ") + closing
        }

        /// The details a question of this form asks for, in order; nil for any other question.
        package static func details(asked question: String) -> [Detail]? {
            guard let start = question.range(of: opening), question.hasSuffix(closing) else { return nil }
            let list = question[start.upperBound...].dropLast(closing.count)
            return list.split(separator: ";").map { part in
                let text = part.trimmingCharacters(in: .whitespaces)
                return text.hasSuffix(numberMark)
                    ? Detail(description: String(text.dropLast(numberMark.count)), isNumber: true)
                    : Detail(description: text, isNumber: false)
            }
        }

        /// What the user writes in place of a detail it leaves out (`clarify`).
        package static let heldBack = "the one I will tell you"
        private static let noteOpening = "I will give you the "
        private static let noteClosing = " when you ask."

        /// The sentence the user adds for a detail it leaves out, naming it as a question would.
        package static func withheldNote(_ detail: Detail) -> String {
            noteOpening + detail.description + noteClosing
        }

        /// The details a request says it leaves out, by description.
        package static func withheld(in request: String) -> Set<String> {
            var found: Set<String> = []
            var rest = request[...]
            while let start = rest.range(of: noteOpening), let end = rest[start.upperBound...].range(of: noteClosing) {
                found.insert(String(rest[start.upperBound..<end.lowerBound]))
                rest = rest[end.upperBound...]
            }
            return found
        }

        package static func answer(_ values: [String]) -> String {
            "Use " + values.joined(separator: "; ") + "."
        }

        /// Each detail asked for in the dialogue, by description, with the value the user gave.
        package static func answers(in messages: [ChatMessage]) -> [String: String] {
            var answers: [String: String] = [:]
            for (index, message) in messages.enumerated() where message.role == .assistant && index + 1 < messages.count
            {
                guard let asked = JSONParser.parse(message.content)?["ask_user"]?.stringValue,
                    let details = details(asked: asked)
                else { continue }
                let reply = messages[index + 1].content
                guard reply.hasPrefix("Use "), reply.hasSuffix(".") else { continue }
                let values = reply.dropFirst(4).dropLast().split(separator: ";").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                for (detail, value) in zip(details, values) { answers[detail.description] = value }
            }
            return answers
        }

        /// The user's words as the parameter's type.
        package static func value(_ text: String, for schema: JSONValue) -> JSONValue {
            switch schema["type"]?.stringValue {
            case "integer", "number": Double(text).map(JSONValue.number) ?? .string(text)
            case "array": .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            default: .string(text)
            }
        }
    }
}
