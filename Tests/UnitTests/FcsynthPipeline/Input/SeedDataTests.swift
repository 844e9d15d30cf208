import Foundation
import Testing

@testable import FcsynthCore

@Suite struct SeedDataTests {
    @Test func everyRowHasAChatAndAnOptionalSystem() throws {
        let rows = try String(contentsOf: Repository.seedChats, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let lines = rows.last == "" ? rows.dropLast() : rows[...]
        #expect(lines.count >= 60)
        for (index, line) in lines.enumerated() {
            let row = try #require(
                try? JSONCoding.decode(JSONValue.self, from: String(line)).objectValue,
                "line \(index + 1) is not a JSON object")
            let chat = try #require(row["chat"]?.stringValue, "line \(index + 1) has no string chat")
            #expect(
                !chat.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "line \(index + 1) has an empty chat")
            if let system = row["system"] {
                #expect(system.stringValue != nil, "line \(index + 1) has a system that is not a string")
            }
        }
    }

    @Test func fileStaysSmall() throws {
        let size = try #require(
            try FileManager.default.attributesOfItem(atPath: Repository.seedChats.path)[.size] as? Int)
        #expect(size < 200_000)
    }
}
