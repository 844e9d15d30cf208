import Foundation

/// A value that can be a command argument, sent binary-safe.
public protocol RedisArgument {
    func append(to command: inout RedisCommand)
}

extension String: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(utf8) }
}

extension Substring: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(utf8) }
}

extension Int: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(String(self).utf8) }
}

extension Int64: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(String(self).utf8) }
}

extension Double: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(String(self).utf8) }
}

extension Data: RedisArgument {
    public func append(to command: inout RedisCommand) { command.appendBytes(self) }
}

extension Array: RedisArgument where Element == UInt8 {
    public func append(to command: inout RedisCommand) { command.appendBytes(self) }
}

/// One command, its arguments packed into a single buffer so that sending it costs one
/// allocation however many arguments it has.
public struct RedisCommand: Sendable, Hashable {
    package private(set) var bytes: [UInt8] = []
    package private(set) var lengths: [Int] = []

    public init(_ name: String, _ arguments: any RedisArgument...) {
        self.init(name, arguments: arguments)
    }

    public init(_ name: String, arguments: [any RedisArgument]) {
        name.append(to: &self)
        for argument in arguments { argument.append(to: &self) }
    }

    public mutating func append(_ argument: any RedisArgument) {
        argument.append(to: &self)
    }

    public mutating func append(contentsOf arguments: [any RedisArgument]) {
        for argument in arguments { argument.append(to: &self) }
    }

    package mutating func appendBytes<C: Collection>(_ argument: C) where C.Element == UInt8 {
        bytes.append(contentsOf: argument)
        lengths.append(argument.count)
    }

    public var argumentCount: Int { lengths.count }

    /// The command name, for logs and errors (never the arguments, which may hold secrets).
    public var name: String {
        guard let first = lengths.first else { return "" }
        return String(decoding: bytes[0..<first], as: UTF8.self).uppercased()
    }

    /// Calls `body` with hiredis-style argv and argvlen arrays that point into this command.
    package func withArgv<R>(
        _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(lengths.count, 1))
            defer { argv.deallocate() }
            var offset = 0
            for (index, length) in lengths.enumerated() {
                argv[index] = (base + offset).assumingMemoryBound(to: CChar.self)
                offset += length
            }
            return try lengths.withUnsafeBufferPointer { try body(argv, $0.baseAddress!) }
        }
    }
}
