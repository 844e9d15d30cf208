import Foundation

/// The one place fcsynth's JSON encoders and decoders are configured, so that every key,
/// task and output line uses the same conventions.
public enum JSONCoding {
    /// Compact, with sorted keys so that equal values encode to equal bytes. `encode` writes
    /// the same bytes faster; this is for APIs that take a `JSONEncoder`.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes with `JSONTreeEncoder`: the bytes `encoder()` would write, many times faster.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try JSONTreeEncoder.encode(value))
    }

    public static func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONTreeEncoder.encode(value), as: UTF8.self)
    }

    /// Decodes with `JSONTape` and `JSONTapeDecoder`: many times faster than `JSONDecoder`
    /// on the types with `JSONValue` fields that every task carries.
    public static func decode<T: Decodable, Bytes: ContiguousBytes>(_ type: T.Type, from data: Bytes) throws -> T {
        try data.withUnsafeBytes { raw in try decode(type, bytes: raw.bindMemory(to: UInt8.self)) }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from string: String) throws -> T {
        var string = string
        return try string.withUTF8 { bytes in try decode(type, bytes: bytes) }
    }

    private static func decode<T: Decodable>(_ type: T.Type, bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        let tape: JSONTape
        do throws(JSONScanError) {
            tape = try JSONTape(bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid JSON: \(error)"))
        }
        return try JSONTapeDecoder.decode(type, from: tape)
    }
}
