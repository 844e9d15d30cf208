import Foundation

/// An input file opened for streaming: plain, or gzip (by its `.gz` name or its magic
/// bytes) decompressed by `gzip -dc` as it is read.
package final class InputFile {
    package let path: String
    package let size: Int64
    package let isCompressed: Bool
    private let descriptor: Int32
    private let decompressor: Process?

    package init(path: String) throws(InputError) {
        self.path = path
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
        size = Int64(info.st_size)
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

    /// Skips to a byte offset; only plain files can, compressed ones are re-read instead.
    package func seek(to offset: Int64) -> Bool {
        guard !isCompressed else { return false }
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
        if decompressor == nil { close(descriptor) }
    }
}
