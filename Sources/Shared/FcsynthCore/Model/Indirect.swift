/// A value kept out of line, behind one pointer. A large value held by value in an async
/// function's frame makes every frame that holds it that much larger, per task in flight;
/// boxed, it costs a pointer. It encodes and decodes as the bare value.
public indirect enum Indirect<Value> {
    case boxed(Value)

    public init(_ value: Value) {
        self = .boxed(value)
    }

    public var value: Value {
        get {
            switch self {
            case .boxed(let value): value
            }
        }
        set { self = .boxed(newValue) }
    }
}

extension Indirect: Sendable where Value: Sendable {}
extension Indirect: Equatable where Value: Equatable {}
extension Indirect: Hashable where Value: Hashable {}

extension Indirect: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Indirect: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Value.self))
    }
}
