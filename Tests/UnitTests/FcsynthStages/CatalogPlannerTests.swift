import Foundation
import Testing

@testable import FcsynthCatalog
@testable import FcsynthCore
@testable import FcsynthStages

/// Catalog mode's plan: leads by the weighted schedule, partners by the tool graph, and the
/// function selection's checks of a reply.
@Suite struct CatalogPlannerTests {
    static func catalog(weights: [String: Double] = [:]) throws -> ToolCatalog {
        let path = Repository.root.appendingPathComponent("example_data/catalog/travel_tools.json").path
        return try CatalogReader.read(path: path, weights: weights).catalog
    }

    @Test func theFirstLinesLeadWithEveryFunctionInProportionToItsWeight() throws {
        let catalog = try Self.catalog(weights: ["book_flight": 3])
        let schedule = catalog.leadSchedule
        #expect(schedule.count == 32)
        let counts = Dictionary(schedule.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts["book_flight"] == 3)
        #expect(counts.count == 30)
        let planner = CatalogPlanner(catalog)
        let leads = (1...32).flatMap { line in planner.leads(for: WorkItem(id: String(line), line: line), count: 1) }
        #expect(Dictionary(leads.map { ($0.name, 1) }, uniquingKeysWith: +) == counts)
    }

    @Test func aSubsequentFunctionTakesAnOutputOfTheLeadByNameAndType() throws {
        let catalog = try Self.catalog()
        let planner = CatalogPlanner(catalog)
        // search_flights always returns flights[].flight_id, a string: these take it.
        let takers: Set<String> = ["get_flight_details", "get_flight_status", "book_flight"]
        #expect(Set(catalog.successors(of: "search_flights").map(\.function.name)) == takers)
        for id in (1...20).map(String.init) {
            let chosen = try #require(planner.subsequent(after: "search_flights", for: WorkItem(id: id, line: 1)))
            #expect(takers.contains(chosen.function.name))
            #expect(chosen.through == "flight_id")
        }
        // get_air_quality's category has values find_attractions' category does not take, and
        // nothing else takes its results: the next step is the assistant's own.
        #expect(planner.subsequent(after: "get_air_quality", for: WorkItem(id: "1", line: 1)) == nil)
        // A parallel partner takes the same kind of required input (a city).
        let parallel = try #require(planner.parallel(to: "get_weather_forecast", for: WorkItem(id: "3", line: 3)))
        #expect(parallel.parameters["required"]?.arrayValue?.contains(.string("city")) == true)
    }

    @Test func selectionTakesCatalogDefinitionsAndRefusesOtherNames() throws {
        let catalog = try Self.catalog()
        let selector = FunctionSelector(catalog)
        let subTasks = [SubTask(task: "Find flights."), SubTask(task: "Book one.")]
        func reply(_ first: [String], _ second: [String]) -> JSONValue {
            .object([
                "sub_tasks": .array([
                    .object(["sub_task": .string("Find flights."), "functions": .array(first.map(JSONValue.string))]),
                    .object(["sub_task": .string("Book one."), "functions": .array(second.map(JSONValue.string))]),
                ])
            ])
        }
        let chosen = try selector.selection(
            in: reply(["search_flights"], ["book_flight", "search_flights"]), subTasks: subTasks,
            lead: "search_flights")
        #expect(chosen.map { $0.functions.map(\.name) } == [["search_flights"], ["book_flight"]])
        #expect(chosen[1].functions.first == catalog.function(named: "book_flight"))
        #expect(throws: ReplyProblem.self) {
            try selector.selection(
                in: reply(["search_flights"], ["book_a_flight"]), subTasks: subTasks, lead: "search_flights")
        }
        #expect(throws: ReplyProblem.self) {
            try selector.selection(in: reply(["book_flight"], []), subTasks: subTasks, lead: "search_flights")
        }
        #expect(throws: ReplyProblem.self) {
            try selector.selection(in: reply(["search_flights"], []).droppingLastSubTask, subTasks: subTasks, lead: "x")
        }
    }

    @Test func distractorsComeFromTheCatalogAndAreNeverNeeded() throws {
        let planner = CatalogPlanner(try Self.catalog())
        let needed = ["search_flights", "get_booking"]
        let drawn = planner.distractors(count: 4, for: WorkItem(id: "9", line: 9), needed: needed)
        #expect(drawn.count == 4)
        #expect(Set(drawn.map(\.name)).isDisjoint(with: needed))
        // Those acting on the same kind of thing (by the last word of the name) come first.
        #expect(Set(drawn.prefix(2).map(\.name)) == ["book_flight", "cancel_booking"])
    }
}

extension JSONValue {
    fileprivate var droppingLastSubTask: JSONValue {
        .object(["sub_tasks": .array(Array((self["sub_tasks"]?.arrayValue ?? []).dropLast()))])
    }
}
