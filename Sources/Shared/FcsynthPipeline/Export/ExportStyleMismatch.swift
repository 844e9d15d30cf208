/// A followed export started again on its file with other layout options than the file was
/// written in. Starting the file over would lose the lines whose stream entries it has already
/// acknowledged (and the stream trimmed); resuming would mix two layouts in one file.
public struct ExportStyleMismatch: Error, Hashable, CustomStringConvertible {
    public var path: String
    public var saved: ExportStyle
    public var requested: ExportStyle

    public var description: String {
        "\(path) was written with \(Self.flags(saved)) and this export asks for \(Self.flags(requested)): run it "
            + "with the same options to resume, or export to another file"
    }

    private static func flags(_ style: ExportStyle) -> String {
        var flags: [String] = []
        if style.systemPromptTools { flags.append("--system-prompt-tools") }
        if style.shareGPTThought { flags.append("--sharegpt-thought") }
        flags.append("--sharegpt-results \(style.shareGPTResults.rawValue)")
        return flags.joined(separator: " ")
    }
}
