import Foundation

/// An input file opened for streaming: plain, gzip (by its `.gz` name or its magic bytes)
/// decompressed by `gzip -dc` as it is read, or standard input (`-`), read once as it comes.
package final class InputFile {
    /// The path that names standard input.
    package static let standardInput = "-"

    package let path: String
    /// Nil for standard input and other pipes, whose length is known only at their end.
    package let size: Int64?
    package let isCompressed: Bool
    private let descriptor: Int32
    private let decompressor: Process?
    private let ownsDescriptor: Bool

    package init(path: String) throws(InputError) {
        self.path = path
        if path == Self.standardInput {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            size = nil
            isCompressed = false
            decompressor = nil
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw .unreadable(path: path, reason: "is a directory")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        ownsDescriptor = true
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
        var magic: [UInt8] = [0, 0]
        let peeked = pread(fd, &magic, 2, 0)
        isCompressed = path.hasSuffix(".gz") || (peeked == 2 && magic == [0x1f, 0x8b])
        guard isCompressed else {
            descriptor = fd
            decompressor = nil
            return
        }
        close(fd)
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", "--", path]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .unreadable(path: path, reason: "cannot start gzip to decompress it: \(error)")
        }
        descriptor = pipe.fileHandleForReading.fileDescriptor
        decompressor = process
    }

    /// Whether a resume can seek into it rather than read it again from the start.
    package var canSeek: Bool { size != nil && !isCompressed }

    /// The digest of the first `count` bytes, read without moving the read position; nil
    /// when the file is shorter. Only for files that `canSeek`.
    package func digest(ofFirst count: Int64) throws(InputError) -> InputDigest? {
        var digest = InputDigest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var position: Int64 = 0
        while position < count {
            let wanted = Int(min(Int64(buffer.count), count - position))
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(position)) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            guard read > 0 else { return nil }
            buffer.withUnsafeBytes { digest.add(UnsafeRawBufferPointer(rebasing: $0[..<read])) }
            position += Int64(read)
        }
        return digest
    }

    /// Skips to a byte offset; only plain files can, compressed ones are re-read instead.
    package func seek(to offset: Int64) -> Bool {
        guard canSeek else { return false }
        return lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset)
    }

    /// Reads up to `count` bytes; 0 at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// After the last read: a gzip that failed means a corrupt or truncated archive.
    package func finish() throws(InputError) {
        guard let decompressor else { return }
        decompressor.waitUntilExit()
        if decompressor.terminationStatus != 0 {
            throw .unreadable(path: path, reason: "gzip could not decompress it all (corrupt or truncated archive)")
        }
    }

    deinit {
        if let decompressor, decompressor.isRunning { decompressor.terminate() }
        if decompressor == nil && ownsDescriptor { close(descriptor) }
    }
}
