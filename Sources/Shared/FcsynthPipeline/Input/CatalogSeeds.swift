import FcsynthCore
import Foundation

/// Seed rows made from a catalog itself, for a catalog run without seed chats: row N describes
/// the function that leads line N in the catalog's schedule, so that each item's scenario is
/// drawn from what its own lead function is for. The same catalog and count give the same
/// bytes, so that an interrupted enqueue of them resumes like one of a file.
package enum CatalogSeeds {
    /// `count` rows of JSON Lines, each `{"chat": …}` under the run's input key.
    package static func rows(of catalog: ToolCatalog, count: Int, inputKey: String) throws -> Data {
        let schedule = catalog.leadSchedule
        var data = Data()
        guard !schedule.isEmpty else { return data }
        for index in 0..<count {
            guard let function = catalog.function(named: schedule[index % schedule.count]) else { continue }
            // Numbered, so that a function's later turns are rows of their own, not repeats.
            let text = "USER: I need help with this (request \(index + 1)): \(function.description)"
            data.append(try JSONCoding.encode(JSONValue.object([inputKey: .string(text)])))
            data.append(0x0A)
        }
        return data
    }
}
