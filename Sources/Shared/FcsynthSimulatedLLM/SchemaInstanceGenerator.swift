import FcsynthCore

/// Makes up a value that satisfies a schema of the supported subset: varied, plausible for the
/// property it fills (a city for `city`, an ISO date for `date`), and the same for the same seed.
/// Used where a value must exist without asking a model, such as the simulated tool agent.
public struct SchemaInstanceGenerator: Sendable {
    /// Lengths and counts beyond this are not honoured: a schema demanding more is not worth the memory.
    package static let sizeLimit = 100_000

    private var random: SplitMix64

    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// `hint` names what the value is (usually its property name); the schema's `description` adds to it,
    /// so that `{"description": "IATA code of the airport"}` gives a code even under a vague name.
    public mutating func instance(for schema: JSONValue, hint: String = "") -> JSONValue {
        guard case .object(let keywords) = schema else { return .null }
        if case .array(let values) = keywords["enum"], !values.isEmpty {
            let allowed = values.filter { JSONSchemaValidator.validate($0, against: schema).isEmpty }
            return pick(allowed.isEmpty ? values : allowed)
        }
        if case .array(let alternatives) = keywords["anyOf"], !alternatives.isEmpty {
            return instance(for: pick(alternatives), hint: hint)
        }
        if let value = keywords["default"], chance(1, in: 3),
            JSONSchemaValidator.validate(value, against: schema).isEmpty
        {
            return value
        }
        var words = HintWords.split(hint)
        if let description = keywords["description"]?.stringValue {
            words += HintWords.split(description)
        }
        switch chooseType(keywords) {
        case .string: return .string(string(keywords, words: words))
        case .integer: return .number(number(keywords, words: words, integral: true))
        case .number: return .number(number(keywords, words: words, integral: false))
        case .boolean: return .bool(chance(1, in: 2))
        case .null: return .null
        case .array: return array(keywords, hint: hint)
        case .object: return object(keywords)
        }
    }

    /// A declared type (rarely null when there is a choice), else the one the keywords imply.
    private mutating func chooseType(_ keywords: [String: JSONValue]) -> SchemaType {
        if let declared = SchemaType.declared(by: keywords) {
            let concrete = declared.filter { $0 != .null }
            if concrete.isEmpty || (concrete.count < declared.count && chance(1, in: 5)) { return .null }
            return pick(concrete)
        }
        let has = { (names: [String]) in names.contains { keywords[$0] != nil } }
        if has(["properties", "required", "additionalProperties"]) { return .object }
        if has(["items", "minItems", "maxItems"]) { return .array }
        if has(["minimum", "maximum"]) { return .number }
        return .string
    }

    private mutating func string(_ keywords: [String: JSONValue], words: [String]) -> String {
        let shape = StringShape.matching(format: keywords["format"]?.stringValue, words: words) ?? .word
        var scalars = Array(shape.sample(using: &random).unicodeScalars)
        if let minimum = keywords["minLength"]?.numberValue {
            while Double(scalars.count) < min(minimum, Double(Self.sizeLimit)) {
                scalars += " \(StringShape.filler(using: &random))".unicodeScalars
            }
        }
        if let maximum = keywords["maxLength"]?.numberValue, Double(scalars.count) > maximum {
            scalars = Array(scalars.prefix(Int(maximum)))
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A value in the name's typical range, narrowed by the schema's bounds; when the two do not
    /// overlap the bounds win.
    private mutating func number(_ keywords: [String: JSONValue], words: [String], integral: Bool) -> Double {
        let typical = NumberHint.range(for: words) ?? 1...100
        var minimum = keywords["minimum"]?.numberValue
        var maximum = keywords["maximum"]?.numberValue
        if integral {
            minimum = minimum?.rounded(.up)
            maximum = maximum?.rounded(.down)
        }
        var low = max(typical.lowerBound, minimum ?? -.infinity)
        var high = min(typical.upperBound, maximum ?? .infinity)
        if low > high {
            let width = typical.upperBound - typical.lowerBound
            low = minimum ?? (high - width)
            high = maximum ?? (low + width)
        }
        if integral {
            let steps = UInt64(min(max(high - low, 0), 10_000))
            return low + Double(random.next() % (steps + 1))
        }
        let value = ((low + Double.random(in: 0...1, using: &random) * (high - low)) * 100).rounded() / 100
        return (low...high).contains(value) ? value : low
    }

    private mutating func array(_ keywords: [String: JSONValue], hint: String) -> JSONValue {
        var count = Int.random(in: 1...3, using: &random)
        if let minimum = keywords["minItems"]?.numberValue {
            count = max(count, Int(min(minimum, Double(Self.sizeLimit))))
        }
        if let maximum = keywords["maxItems"]?.numberValue { count = min(count, Int(max(maximum, 0))) }
        let items = keywords["items"] ?? .object([:])
        let itemHint = HintWords.singular(hint)
        return .array((0..<count).map { _ in instance(for: items, hint: itemHint) })
    }

    /// All required properties and about half of the optional ones, in key order so that a seed
    /// gives the same object in every process.
    private mutating func object(_ keywords: [String: JSONValue]) -> JSONValue {
        let properties = keywords["properties"]?.objectValue ?? [:]
        let required = Set(keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var members: [String: JSONValue] = [:]
        for (name, schema) in properties.sorted(by: { $0.key < $1.key })
        where required.contains(name) || chance(1, in: 2) {
            members[name] = instance(for: schema, hint: name)
        }
        for name in required.sorted() where members[name] == nil {
            members[name] = instance(for: .object([:]), hint: name)
        }
        return .object(members)
    }

    private mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int.random(in: 0..<elements.count, using: &random)]
    }

    private mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        Int.random(in: 0..<denominator, using: &random) < numerator
    }
}
