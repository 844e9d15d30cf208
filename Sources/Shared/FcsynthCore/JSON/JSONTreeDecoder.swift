/// A `Decoder` over an already parsed `JSONValue`. With `JSONParser` in front it decodes
/// fcsynth's types tens of times faster than `JSONDecoder`, mostly because a `JSONValue` field
/// is taken as it is instead of being found by trial and error.
package struct JSONTreeDecoder: Decoder {
    package let value: JSONValue
    package let codingPath: [any CodingKey]
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package init(value: JSONValue, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch("an object") }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    package func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array") }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    package func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath)
    }

    private func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.typeName)"))
    }

    /// Decodes `type` from `value`, the one place every container comes through. The path is
    /// built only for a nested type or an error: most values are scalars.
    package static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        // Type comparisons first: they cost a pointer compare, a failed cast more.
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self, case .string(let text) = value { return text as! T }
        if let result = primitive(value, as: type) { return result }
        if isPrimitive(type) {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath(), debugDescription: "found \(value.typeName)"))
        }
        if let dictionary = type as? any StringKeyedDictionary.Type, case .object(let members) = value {
            return try dictionary.decode(members, codingPath: codingPath()) as! T
        }
        return try T(from: JSONTreeDecoder(value: value, codingPath: codingPath()))
    }

    private static func primitive<T>(_ value: JSONValue, as type: T.Type) -> T? {
        switch value {
        case .string(let text): type == String.self ? text as? T : nil
        case .bool(let flag): type == Bool.self ? flag as? T : nil
        case .number(let number):
            switch type {
            case is Double.Type: number as? T
            case is Int.Type: Int(exactly: number) as? T
            case is Int64.Type: Int64(exactly: number) as? T
            case is Int32.Type: Int32(exactly: number) as? T
            case is UInt.Type: UInt(exactly: number) as? T
            case is UInt64.Type: UInt64(exactly: number) as? T
            case is UInt32.Type: UInt32(exactly: number) as? T
            case is Float.Type: Float(number) as? T
            default: nil
            }
        default: nil
        }
    }

    /// Types that decode from a single JSON scalar: a mismatch is an error, never a reason
    /// to ask the type to decode itself (which would come straight back here).
    private static func isPrimitive<T>(_ type: T.Type) -> Bool {
        type == String.self || type == Bool.self || type == Double.self || type == Int.self || type == Int64.self
            || type == Int32.self || type == UInt.self || type == UInt64.self || type == UInt32.self
            || type == Float.self
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = object[key.stringValue] else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return try JSONTreeDecoder.decode(type, from: value, codingPath: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object[key.stringValue], value != .null || T.self == JSONValue.self else { return nil }
        return try JSONTreeDecoder.decode(type, from: value, codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONTreeDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key]).container(
            keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONTreeDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { JSONTreeDecoder(value: .object(object), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONTreeDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try next()
        return try JSONTreeDecoder.decode(
            type, from: value, codingPath: codingPath + [IndexKey(intValue: currentIndex - 1)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONTreeDecoder(value: try next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try JSONTreeDecoder(value: try next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        JSONTreeDecoder(value: try next(), codingPath: codingPath)
    }

    private mutating func next() throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONTreeDecoder.decode(type, from: value, codingPath: codingPath)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue ?? 0) }

    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// `[String: V]` decoded straight from the object's members. The standard library's own
/// `init(from:)` goes through a keyed container, with a key made and looked up again per member;
/// records' lineage holds several such maps, and export spends a fifth of its time there.
private protocol StringKeyedDictionary {
    static func decode(_ members: [String: JSONValue], codingPath: [any CodingKey]) throws -> Self
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {
    fileprivate static func decode(_ members: [String: JSONValue], codingPath: [any CodingKey]) throws -> Self {
        var result: [String: Value] = [:]
        result.reserveCapacity(members.count)
        for (key, member) in members {
            result[key] = try JSONTreeDecoder.decode(
                Value.self, from: member, codingPath: codingPath + [MemberKey(stringValue: key)])
        }
        return result
    }
}

private struct MemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
