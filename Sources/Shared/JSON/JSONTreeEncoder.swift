import Foundation

/// An `Encoder` that builds a tree of the values, which `JSONBytes` then writes out in
/// `JSONCoding`'s conventions: the same bytes as `JSONEncoder` with sorted keys and slashes
/// unescaped, at a fraction of the cost, mostly because a `JSONValue` field (the function
/// schemas every task carries) is written as it is instead of going through the containers.
final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    fileprivate var root: EncodedNode?

    fileprivate init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// `value` as JSON text.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out = JSONBytes(capacity: 1024)
        try write(value, to: &out)
        return out.bytes
    }

    /// Appends `value` as JSON text to `out`.
    static func write<T: Encodable>(_ value: T, to out: inout JSONBytes) throws {
        try node(for: value, codingPath: []).write(to: &out)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(object: object(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(array: array(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(encoder: self)
    }

    /// The object this encoder writes into; a type and its superclass share it, as with `JSONEncoder`.
    private func object() -> EncodedObject {
        if case .object(let object) = root { return object }
        let object = EncodedObject()
        root = .object(object)
        return object
    }

    private func array() -> EncodedArray {
        if case .array(let array) = root { return array }
        let array = EncodedArray()
        root = .array(array)
        return array
    }

    /// The node for one value: scalars and `JSONValue` directly, other types through their
    /// `encode(to:)`. Foundation's special cases follow `JSONEncoder`'s default strategies.
    fileprivate static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> EncodedNode {
        switch value {
        case let json as JSONValue: return .json(json)
        case let text as String: return .json(.string(text))
        case let flag as Bool: return .json(.bool(flag))
        case let number as Int: return .literal(String(number))
        case let number as any FixedWidthInteger: return .literal("\(number)")
        case let number as Double: return try .literal(literal(number, codingPath: codingPath))
        case let number as Float: return try .literal(literal(number, codingPath: codingPath))
        case let url as URL: return .json(.string(url.absoluteString))
        case let data as Data: return .json(.string(data.base64EncodedString()))
        case let decimal as Decimal: return .literal(decimal.description)
        default:
            let encoder = JSONTreeEncoder(codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.root ?? .object(EncodedObject())
        }
    }

    /// A floating-point number as `JSONEncoder` writes it: its description, less a trailing `.0`.
    private static func literal<F: BinaryFloatingPoint & LosslessStringConvertible>(_ number: F, codingPath: [any CodingKey]) throws -> String {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: codingPath, debugDescription: "\(number) is not valid JSON"))
        }
        let text = number.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

/// What a value encoded to, before it is written out.
private enum EncodedNode {
    case json(JSONValue)
    /// A number's text.
    case literal(String)
    case object(EncodedObject)
    case array(EncodedArray)

    func write(to out: inout JSONBytes) throws {
        switch self {
        case .json(let value):
            do {
                try out.value(value)
            } catch {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: error.reason))
            }
        case .literal(let text):
            out.rawText(text)
        case .object(let object):
            out.byte(UInt8(ascii: "{"))
            let members = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in members.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.string(member.key)
                out.byte(UInt8(ascii: ":"))
                try member.value.write(to: &out)
            }
            out.byte(UInt8(ascii: "}"))
        case .array(let array):
            out.byte(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                try element.write(to: &out)
            }
            out.byte(UInt8(ascii: "]"))
        }
    }
}

private final class EncodedObject {
    var members: [String: EncodedNode] = [:]
}

private final class EncodedArray {
    var elements: [EncodedNode] = []
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodedObject
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) {
        object.members[key.stringValue] = .json(.null)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.members[key.stringValue] = try JSONTreeEncoder.node(for: value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        object.members[key.stringValue] = .object(nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        object.members[key.stringValue] = .array(nested)
        return UnkeyedContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: "super")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = JSONTreeEncoder(codingPath: codingPath)
        let nested = EncodedObject()
        encoder.root = .object(nested)
        object.members[name] = .object(nested)
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: EncodedArray
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    mutating func encodeNil() {
        array.elements.append(.json(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.elements.append(try JSONTreeEncoder.node(for: value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        array.elements.append(.array(nested))
        return UnkeyedContainer(array: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONTreeEncoder(codingPath: codingPath)
        let nested = EncodedObject()
        encoder.root = .object(nested)
        array.elements.append(.object(nested))
        return encoder
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() {
        encoder.root = .json(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.root = try JSONTreeEncoder.node(for: value, codingPath: codingPath)
    }
}
