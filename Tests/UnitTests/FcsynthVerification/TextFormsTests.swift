import Testing

@testable import FcsynthVerification

/// The normalisations under which a value counts as given, one by one, against values
/// written out by hand.
@Suite struct TextFormsTests {
    private static func source(_ text: String) -> SourceText {
        var source = SourceText()
        source.add(text: text)
        return source
    }

    @Test func caseSpacingAndPunctuationDoNotMatter() {
        #expect(TextForms.normalized("New  York-City!") == "new york city")
        #expect(TextForms.normalized("6:30pm") == "6 30 pm")
        #expect(Self.source("Fly to NEW YORK tomorrow").holds(string: "new_york"))
        #expect(!Self.source("Fly to Newark").holds(string: "New York"))
        // Whole words only: "Oslo" is not in "Oslofjord".
        #expect(!Self.source("a trip on the Oslofjord").holds(string: "Oslo"))
    }

    @Test func aDateMayBeWrittenAnotherWay() {
        for text in [
            "on 14 March 2025", "on March 14, 2025", "on 14th March", "on Mar 14", "on 14 Mar 2025", "on 2025-03-14",
        ] {
            #expect(Self.source(text).holds(string: "2025-03-14"), "\(text)")
        }
        #expect(!Self.source("on 15 March 2025").holds(string: "2025-03-14"))
        #expect(!Self.source("on 14 April 2025").holds(string: "2025-03-14"))
    }

    @Test func aTimeMayBeWrittenAnotherWay() {
        #expect(Self.source("dinner at 7 pm").holds(string: "19:00"))
        #expect(Self.source("at 6:45pm").holds(string: "18:45"))
        #expect(Self.source("at 12:30 pm").holds(string: "12:30"))
        #expect(!Self.source("at 7 am").holds(string: "19:00"))
    }

    @Test func numbersLoseTheirUnitsSignsAndSeparators() {
        #expect(TextForms.numbers(in: "costs $1,250.50, about 3km, -4 degrees") == [1250.5, 3, -4])
        #expect(TextForms.numbers(in: "flights 3,4 and 1,2345") == [3, 4, 12345])
        #expect(Self.source("a table for four").holds(number: 4))
        #expect(Self.source("under 150 euros a night").holds(number: 150))
        #expect(!Self.source("under 150 euros a night").holds(number: 15))
        #expect(Self.source("the SKU-20 model").holds(string: "20"))
    }

    @Test func currencyNamesGiveTheirCodes() {
        #expect(Self.source("from euros to US dollars").holds(string: "EUR"))
        #expect(Self.source("from euros to US dollars").holds(string: "USD"))
        #expect(!Self.source("from euros to US dollars").holds(string: "GBP"))
    }

    @Test func composedTextCountsWhenMostOfItsWordsAreGiven() {
        let request = Self.source("Tell Maria the dinner on Friday moved to the Lebanese place at 8")
        #expect(request.holds(string: "Dinner on Friday has moved to the Lebanese place"))
        #expect(!request.holds(string: "Your parcel was delivered to the neighbour yesterday"))
    }

    @Test func totalsAndCountsDeriveFromTheResults() {
        var results = SourceText()
        results.add(
            result: .object(["flights": .array([.object(["price": .number(89.5)]), .object(["price": .number(120)])])]))
        #expect(results.derives(number: 2))
        #expect(results.derives(number: 209.5))
        #expect(results.derives(number: 179))
        // Rounded to units only in a final answer, where people write "about 90".
        #expect(results.derives(number: 90, summarising: true))
        #expect(!results.derives(number: 90))
        #expect(!results.derives(number: 300))
    }

    @Test func unitsPerUnitAndLeftoverMinutesDeriveOnlyWhereTheyShould() {
        var results = SourceText()
        results.add(result: .object(["distance_km": .number(151.3), "duration_minutes": .number(142)]))
        #expect(results.derives(number: 94, summarising: true))  // miles
        #expect(results.derives(number: 22, summarising: true))  // 2 h 22 min
        #expect(!results.derives(number: 22))
        #expect(!results.derives(number: 0, summarising: true))
        var price = SourceText()
        price.add(result: .object(["price": .number(289_500), "area_m2": .number(72)]))
        #expect(price.derives(number: 4021, summarising: true))  // per square metre
        #expect(!price.derives(number: 4021))
    }

    @Test func relativeDatesCountFromTheStatedDay() {
        var sources = SourceText()
        sources.add(text: "Today is Saturday, 5 April 2025.")
        sources.add(text: "Book a table for tomorrow, or next Friday, and remind me on the 29th.")
        #expect(sources.holds(string: "2025-04-06"))  // tomorrow
        #expect(sources.holds(string: "2025-04-11"))  // this Friday
        #expect(sources.holds(string: "2025-04-18"))  // next Friday
        #expect(sources.holds(string: "2025-04-29"))  // the 29th
        #expect(!sources.holds(string: "2025-04-07"))
        #expect(!sources.holds(string: "2025-04-25"))  // a Friday three weeks on
        #expect(!sources.holds(string: "2025-06-29"))
    }

    @Test func withoutAStatedDayRelativeWordsGiveNoDate() {
        var sources = SourceText()
        sources.add(text: "Book a table for tomorrow.")
        #expect(!sources.holds(string: "2025-04-06"))
    }

    @Test func timesAndRangesAsPeopleSayThem() {
        var sources = SourceText()
        sources.add(text: "A table at half past eight, from 3 to 6 October 2025; the meeting is at 3pm for 45 minutes.")
        #expect(sources.holds(string: "20:30"))
        #expect(sources.holds(string: "2025-10-03"))
        #expect(sources.holds(string: "2025-10-06"))
        #expect(sources.holds(string: "15:45"))
        #expect(sources.holds(string: "2025-10-03T15:00"))
        #expect(!sources.holds(string: "2025-10-09"))
        #expect(!sources.holds(string: "16:10"))
    }

    @Test func codesFromSignsAndLanguageNames() {
        var sources = SourceText()
        sources.add(text: "Send £50 and translate it into Brazilian Portuguese.")
        #expect(sources.holds(string: "GBP"))
        #expect(sources.holds(string: "pt-BR"))
        #expect(!sources.holds(string: "USD"))
        #expect(!sources.holds(string: "ja"))
    }

    @Test func shortValuesMadeOfGivenWords() {
        var sources = SourceText()
        sources.add(text: "Find the latest email from my landlord Graham about the boiler repair.")
        #expect(sources.holds(string: "Graham boiler repair"))
        #expect(!sources.holds(string: "Graham roof repair"))
    }
}
