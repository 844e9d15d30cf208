import Foundation

/// A command-line tool found on PATH (systemd-analyze, ldd, dpkg, python3), run to completion.
struct SystemTool: Sendable {
    struct Output: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    let url: URL

    /// A program at a known place, such as a binary install.sh put there.
    init(at url: URL) {
        self.url = url
    }

    init?(named name: String) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = path.split(separator: ":").map {
            URL(fileURLWithPath: String($0)).appendingPathComponent(name)
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            return nil
        }
        url = found
    }

    /// Output goes through files rather than pipes, so a chatty tool cannot block on a full pipe.
    func run(_ arguments: [String], input: String? = nil) throws -> Output {
        let scratch = try DeployFiles.scratchDirectory("fcsynth-tool")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: outURL, encoding: .utf8),
            standardError: try String(contentsOf: errURL, encoding: .utf8)
        )
    }
}
