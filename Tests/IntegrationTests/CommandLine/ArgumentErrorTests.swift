import Foundation
import TestSupport
import Testing

/// A mistyped flag ends either executable at once with status 64, wherever its output goes:
/// a pipe read only after the exit, a pipe nobody will ever read, or one whose reader is gone.
@Suite struct ArgumentErrorTests {
    enum Output: CaseIterable, Sendable {
        /// Read once the process has exited.
        case unreadPipe
        /// Already full when the process starts, and never read.
        case fullPipe
        /// The read end closed before the process starts.
        case closedPipe
    }

    static let executables = ["fcsynth", "fcsynth-worker"]

    @Test(arguments: executables, Output.allCases)
    func aBogusFlagExitsWithStatus64(executable: String, output: Output) async throws {
        let pipe = Pipe()
        switch output {
        case .unreadPipe: break
        case .fullPipe: try Self.fill(pipe)
        case .closedPipe: try pipe.fileHandleForReading.close()
        }
        let process = Process()
        process.executableURL = TestEnvironment.executable(executable)
        process.arguments = ["--bogus-flag"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()

        // Far above the milliseconds it takes; only a process that hangs reaches it.
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let hung = process.isRunning
        if hung {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(!hung, "\(executable) \(output) still running after 60 s")
        #expect(
            process.terminationReason == .exit && process.terminationStatus == 64,
            "\(executable) \(output): \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus)"
        )
        if output == .unreadPipe {
            let text = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
            #expect(text.contains("Unknown option '--bogus-flag'") && text.contains("Usage: \(executable)"), "\(text)")
        }
    }

    /// Writes into the pipe until it takes no more, without blocking, and leaves its write end
    /// blocking again for the child.
    static func fill(_ pipe: Pipe) throws {
        let descriptor = pipe.fileHandleForWriting.fileDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { break }
            total += written
        }
        _ = fcntl(descriptor, F_SETFL, flags)
        #expect(total >= 4096, "the pipe took \(total) bytes")
    }
}
