import Foundation

/// Reads an HTTP `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
package enum RetryAfter {
    /// The wait the value asks for, never negative; nil when it is neither form.
    package static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.first?.isASCII == true, text.first?.isNumber == true {
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(text) else {
                return nil
            }
            return .seconds(seconds)
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .seconds(max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// IMF-fixdate first; then the obsolete RFC 850 and asctime forms recipients must accept.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]
}
