/// How an `fcsynth` command ended: its exit status and what it wrote (stdout and stderr together).
struct CommandOutcome: Sendable {
    var status: Int32
    var output: String

    /// The output's lines that name `file`, as enqueue reports a rejected row: `FILE:line N: reason`.
    func rejections(of file: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(file + ":line ") }
    }
}
