import Foundation

/// An `Encoder` that builds a tree of the values, which `JSONBytes` then writes out in
/// `JSONCoding`'s conventions: the same bytes as `JSONEncoder` with sorted keys and slashes
/// unescaped, at a fraction of the cost, mostly because a `JSONValue` field (the function
/// schemas every task carries) is written as it is instead of going through the containers.
package final class JSONTreeEncoder: Encoder {
    fileprivate let path: CodingKeyChain?
    package var codingPath: [any CodingKey] { path?.keys ?? [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }
    fileprivate var root: EncodedNode?

    fileprivate init(path: CodingKeyChain?) {
        self.path = path
    }

    /// `value` as JSON text.
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out = JSONBytes(capacity: 1024)
        try write(value, to: &out)
        return out.bytes
    }

    /// Appends `value` as JSON text to `out`.
    package static func write<T: Encodable>(_ value: T, to out: inout JSONBytes) throws {
        try node(for: value, path: nil).write(to: &out)
    }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(object: object(), path: path))
    }

    package func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(array: array(), path: path)
    }

    package func singleValueContainer() -> any SingleValueEncodingContainer {
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
    /// The path is built only for a nested type or an error: most values are scalars.
    fileprivate static func node<T: Encodable>(
        for value: T, path: @autoclosure () -> CodingKeyChain?
    ) throws -> EncodedNode {
        // Type comparisons first: they cost a pointer compare, a cast or conformance check more.
        if T.self == JSONValue.self { return .json(value as! JSONValue) }
        if T.self == String.self { return .json(.string(value as! String)) }
        if T.self == Int.self { return .literal(String(value as! Int)) }
        if T.self == Bool.self { return .json(.bool(value as! Bool)) }
        if let scalar = value as? any TreeEncodableScalar { return try scalar.node(codingPath: { path()?.keys ?? [] }) }
        let encoder = JSONTreeEncoder(path: path())
        try value.encode(to: encoder)
        return encoder.root ?? .object(EncodedObject())
    }
}

/// Values `JSONEncoder` writes as one JSON scalar (rather than through their `encode(to:)`,
/// which would come straight back to the encoder).
private protocol TreeEncodableScalar {
    func node(codingPath: () -> [any CodingKey]) throws -> EncodedNode
}

extension Int8: TreeEncodableScalar {}
extension Int16: TreeEncodableScalar {}
extension Int32: TreeEncodableScalar {}
extension Int64: TreeEncodableScalar {}
extension UInt: TreeEncodableScalar {}
extension UInt8: TreeEncodableScalar {}
extension UInt16: TreeEncodableScalar {}
extension UInt32: TreeEncodableScalar {}
extension UInt64: TreeEncodableScalar {}

extension TreeEncodableScalar where Self: FixedWidthInteger {
    fileprivate func node(codingPath: () -> [any CodingKey]) -> EncodedNode { .literal(String(self)) }
}

extension Double: TreeEncodableScalar {}
extension Float: TreeEncodableScalar {}

extension TreeEncodableScalar where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// As `JSONEncoder` writes it: the description, less a trailing `.0`.
    func node(codingPath: () -> [any CodingKey]) throws -> EncodedNode {
        guard isFinite else {
            throw EncodingError.invalidValue(
                self, .init(codingPath: codingPath(), debugDescription: "\(self) is not valid JSON"))
        }
        let text = description
        return .literal(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }
}

/// `JSONEncoder`'s default strategies for these: a URL's absolute string, Base64 data.
extension URL: TreeEncodableScalar {
    fileprivate func node(codingPath: () -> [any CodingKey]) -> EncodedNode { .json(.string(absoluteString)) }
}

extension Data: TreeEncodableScalar {
    fileprivate func node(codingPath: () -> [any CodingKey]) -> EncodedNode { .json(.string(base64EncodedString())) }
}

extension Decimal: TreeEncodableScalar {
    fileprivate func node(codingPath: () -> [any CodingKey]) -> EncodedNode { .literal(description) }
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
            for (index, member) in object.sortedMembers().enumerated() {
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

/// Members in the order they were encoded: cheaper than a dictionary for the few keys of a
/// type, and sorted once when written.
private final class EncodedObject {
    private var members: [(key: String, value: EncodedNode)] = []

    func set(_ key: String, _ value: EncodedNode) {
        members.append((key, value))
    }

    /// By UTF-8 bytes, as `JSONEncoder` sorts keys; a key encoded twice keeps its last value, as there.
    func sortedMembers() -> [(key: String, value: EncodedNode)] {
        // The sort is stable, so of equal keys the last encoded comes last.
        let sorted = members.sorted { JSONBytes.keyPrecedes($0.key, $1.key) }
        var unique: [(key: String, value: EncodedNode)] = []
        unique.reserveCapacity(sorted.count)
        for member in sorted {
            if unique.last?.key == member.key { unique.removeLast() }
            unique.append(member)
        }
        return unique
    }
}

private final class EncodedArray {
    var elements: [EncodedNode] = []
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodedObject
    let path: CodingKeyChain?
    var codingPath: [any CodingKey] { path?.keys ?? [] }

    mutating func encodeNil(forKey key: Key) {
        object.set(key.stringValue, .json(.null))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try JSONTreeEncoder.node(for: value, path: CodingKeyChain(key, under: path)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, path: CodingKeyChain(key, under: path)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        object.set(key.stringValue, .array(nested))
        return UnkeyedContainer(array: nested, path: CodingKeyChain(key, under: path))
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: "super")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = JSONTreeEncoder(path: path)
        let nested = EncodedObject()
        encoder.root = .object(nested)
        object.set(name, .object(nested))
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: EncodedArray
    let path: CodingKeyChain?
    var codingPath: [any CodingKey] { path?.keys ?? [] }
    var count: Int { array.elements.count }

    mutating func encodeNil() {
        array.elements.append(.json(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.elements.append(try JSONTreeEncoder.node(for: value, path: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        array.elements.append(.array(nested))
        return UnkeyedContainer(array: nested, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONTreeEncoder(path: path)
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
        encoder.root = try JSONTreeEncoder.node(for: value, path: encoder.path)
    }
}
