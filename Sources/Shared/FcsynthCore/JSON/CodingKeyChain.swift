/// The keys from the root down to a value, kept as a chain: a nested coder then costs one small
/// object rather than a new array (and a generic-metadata lookup for it), and the array is
/// built only when asked for, which mostly an error does.
package final class CodingKeyChain {
    let key: any CodingKey
    let parent: CodingKeyChain?

    package init(_ key: any CodingKey, under parent: CodingKeyChain?) {
        self.key = key
        self.parent = parent
    }

    package var keys: [any CodingKey] {
        var keys: [any CodingKey] = []
        var link: CodingKeyChain? = self
        while let current = link {
            keys.append(current.key)
            link = current.parent
        }
        return keys.reversed()
    }
}
