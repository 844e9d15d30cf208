import Foundation

/// A bearer token for the LLM endpoint. Its printed, debug and reflected forms never
/// contain the secret, so a key cannot leak through logging an options value.
public struct APIKey: Sendable, Hashable {
    package let secret: String

    /// Returns nil for an empty key, which would only earn 401s, and for one with control
    /// characters, which could smuggle lines into the request's headers.
    public init?(_ secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            return nil
        }
        self.secret = trimmed
    }

    /// Replaces every occurrence of the key in `text`, for messages that echo what was sent.
    package func redact(_ text: String) -> String {
        text.contains(secret) ? text.replacingOccurrences(of: secret, with: "[redacted]") : text
    }
}

extension APIKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
