/// A value JSON cannot express, such as a number that is not finite.
package struct JSONWriteError: Error, Hashable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
