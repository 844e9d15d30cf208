import FcsynthCore
import Foundation

/// The entry LLaMA-Factory's `dataset_info.json` needs to load an exported file: its
/// `formatting`, the `columns` it reads, and every role `tags` value (LLaMA-Factory sets any tag
/// an entry's `tags` leaves out to none, so all are written).
public struct DatasetInfoEntry: Sendable, Hashable {
    public var name: String
    public var value: JSONValue

    /// The entry for `dataFile` as the trainer finds it: relative to the folder of the
    /// `dataset_info.json` when under it, absolute otherwise. Raw has no LLaMA-Factory layout.
    public init(format: ExportFormat, name: String, dataFile: String) throws(DatasetInfoError) {
        let columns: [String: String]
        let tags: [String: String]
        switch format {
        case .sharegpt:
            columns = ["messages": "conversations", "system": "system", "tools": "tools"]
            tags = [
                "role_tag": "from", "content_tag": "value", "user_tag": ShareGPTRole.human.rawValue,
                "assistant_tag": ShareGPTRole.gpt.rawValue, "observation_tag": ShareGPTRole.observation.rawValue,
                "function_tag": ShareGPTRole.functionCall.rawValue, "system_tag": "system",
            ]
        case .openai:
            // Its OpenAI converter reads an assistant message with tool_calls as a function turn.
            columns = ["messages": "messages", "tools": "tools"]
            tags = [
                "role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant",
                "observation_tag": "tool", "function_tag": "function_call", "system_tag": "system",
            ]
        case .raw:
            throw DatasetInfoError("raw lines have no LLaMA-Factory layout: export openai or sharegpt")
        }
        self.name = name
        value = .object([
            "file_name": .string(dataFile),
            "formatting": .string(format.rawValue),
            "columns": .object(columns.mapValues(JSONValue.string)),
            "tags": .object(tags.mapValues(JSONValue.string)),
        ])
    }

    /// The name LLaMA-Factory's `--dataset` takes: the data file's name without its extension.
    public static func defaultName(for dataFile: String) -> String {
        URL(fileURLWithPath: dataFile).deletingPathExtension().lastPathComponent
    }

    /// `dataFile` as the entry names it, seen from the folder holding `infoFile`.
    public static func reference(to dataFile: String, from infoFile: String) -> String {
        let data = URL(fileURLWithPath: dataFile).standardizedFileURL.path
        let folder = URL(fileURLWithPath: infoFile).standardizedFileURL.deletingLastPathComponent().path
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return data.hasPrefix(prefix) ? String(data.dropFirst(prefix.count)) : data
    }

    /// Adds or replaces this entry in the `dataset_info.json` at `path`, keeping the others; a
    /// missing file is created.
    public func write(into path: String) throws(DatasetInfoError) {
        let url = URL(fileURLWithPath: path)
        var entries: [String: JSONValue] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let data = try? Data(contentsOf: url) else { throw DatasetInfoError("\(path): cannot read it") }
            guard let existing = JSONParser.parse(Array(data))?.objectValue else {
                throw DatasetInfoError("\(path): not a JSON object, so not a dataset_info.json to add to")
            }
            entries = existing
        }
        entries[name] = value
        do {
            let encoder = JSONCoding.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            try encoder.encode(JSONValue.object(entries)).write(to: url, options: .atomic)
        } catch {
            throw DatasetInfoError("\(path): cannot write it: \(error.localizedDescription)")
        }
    }
}
