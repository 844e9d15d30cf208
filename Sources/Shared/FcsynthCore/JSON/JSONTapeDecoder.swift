/// A `Decoder` over a `JSONTape`. A member is found by comparing its key's bytes, a value is
/// built only when asked for, and a `JSONValue` field is taken from the tape whole instead of
/// being found by trial and error, which is what makes it many times faster than `JSONDecoder`.
package struct JSONTapeDecoder: Decoder {
    package let tape: JSONTape
    package let index: Int
    private let path: CodingKeyChain?
    package var codingPath: [any CodingKey] { path?.keys ?? [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    fileprivate init(tape: JSONTape, index: Int, path: CodingKeyChain?) {
        self.tape = tape
        self.index = index
        self.path = path
    }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.kind(index) == .object else { throw mismatch("an object") }
        return KeyedDecodingContainer(KeyedContainer<Key>(tape: tape, object: index, path: path))
    }

    package func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.kind(index) == .array else { throw mismatch("an array") }
        return UnkeyedContainer(tape: tape, array: index, path: path)
    }

    package func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(tape: tape, index: index, path: path)
    }

    private func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(
            Any.self,
            .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(tape.typeName(index))"))
    }

    /// Decodes the value at the tape's root.
    package static func decode<T: Decodable>(_ type: T.Type, from tape: JSONTape) throws -> T {
        try decode(type, from: tape, at: tape.root, path: nil)
    }

    /// Decodes `type` from the value at `index`, the one place every container comes through.
    /// The path is built only for a nested type or an error: most values are scalars.
    fileprivate static func decode<T: Decodable>(
        _ type: T.Type, from tape: JSONTape, at index: Int, path: @autoclosure () -> CodingKeyChain?
    ) throws -> T {
        // Type comparisons first: they cost a pointer compare, a failed cast more.
        if T.self == JSONValue.self { return tape.value(index) as! T }
        if T.self == String.self, tape.kind(index) == .string { return tape.string(index) as! T }
        if let result = primitive(tape, index, as: type) { return result }
        if isPrimitive(type) {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: path()?.keys ?? [], debugDescription: "found \(tape.typeName(index))"))
        }
        if tape.kind(index) == .object, let dictionary = type as? any StringKeyedDictionary.Type {
            return try dictionary.decode(tape, object: index, path: path()) as! T
        }
        return try T(from: JSONTapeDecoder(tape: tape, index: index, path: path()))
    }

    private static func primitive<T>(_ tape: JSONTape, _ index: Int, as type: T.Type) -> T? {
        let token = tape.tokens[index]
        switch token.kind {
        case .true, .false: return type == Bool.self ? (token.kind == .true) as? T : nil
        case .number:
            let number = token.number
            return switch type {
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
        case .string, .null, .array, .object: return nil
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
    let tape: JSONTape
    let object: Int
    let path: CodingKeyChain?
    var codingPath: [any CodingKey] { path?.keys ?? [] }

    var allKeys: [Key] { tape.members(of: object).compactMap { Key(stringValue: tape.string($0)) } }

    func contains(_ key: Key) -> Bool { tape.member(key.stringValue, of: object) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = tape.member(key.stringValue, of: object) else { return true }
        return tape.kind(value) == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = tape.member(key.stringValue, of: object) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return try JSONTapeDecoder.decode(type, from: tape, at: value, path: CodingKeyChain(key, under: path))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = tape.member(key.stringValue, of: object),
            tape.kind(value) != .null || T.self == JSONValue.self
        else { return nil }
        return try JSONTapeDecoder.decode(type, from: tape, at: value, path: CodingKeyChain(key, under: path))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try superDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { JSONTapeDecoder(tape: tape, index: object, path: path) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONTapeDecoder(
            tape: tape, index: tape.member(key.stringValue, of: object) ?? tape.absent,
            path: CodingKeyChain(key, under: path))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let tape: JSONTape
    let path: CodingKeyChain?
    var codingPath: [any CodingKey] { path?.keys ?? [] }
    let count: Int?
    var currentIndex = 0
    /// The token of the element at `currentIndex`.
    private var element: Int

    init(tape: JSONTape, array: Int, path: CodingKeyChain?) {
        self.tape = tape
        self.path = path
        self.count = tape.tokens[array].count
        self.element = array + 1
    }

    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, tape.kind(element) == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try next()
        return try JSONTapeDecoder.decode(
            type, from: tape, at: value, path: CodingKeyChain(IndexKey(intValue: currentIndex - 1), under: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try superDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        JSONTapeDecoder(tape: tape, index: try next(), path: path)
    }

    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        let value = element
        element = tape.tokens[element].next
        currentIndex += 1
        return value
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let tape: JSONTape
    let index: Int
    let path: CodingKeyChain?
    var codingPath: [any CodingKey] { path?.keys ?? [] }

    func decodeNil() -> Bool { tape.kind(index) == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONTapeDecoder.decode(type, from: tape, at: index, path: path)
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
/// records' lineage holds several such maps.
private protocol StringKeyedDictionary {
    static func decode(_ tape: JSONTape, object: Int, path: CodingKeyChain?) throws -> Self
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {
    fileprivate static func decode(_ tape: JSONTape, object: Int, path: CodingKeyChain?) throws -> Self {
        var result: [String: Value] = Dictionary(minimumCapacity: tape.tokens[object].count)
        for key in tape.members(of: object) {
            let name = tape.string(key)
            result[name] = try JSONTapeDecoder.decode(
                Value.self, from: tape, at: key + 1, path: CodingKeyChain(MemberKey(stringValue: name), under: path))
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
