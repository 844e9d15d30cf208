import Foundation
import Logging

/// How fcsynth's processes log: readable lines on a terminal, or one JSON object per line
/// for log collectors.
public enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json

    /// Installs the process-wide log handler; call once, first thing.
    public static func bootstrap(_ format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch format {
            case .text: handler = StreamLogHandler.standardError(label: label)
            case .json: handler = JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
    }
}
