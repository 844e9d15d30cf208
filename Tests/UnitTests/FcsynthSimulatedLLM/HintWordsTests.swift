import Testing

@testable import FcsynthSimulatedLLM

@Suite struct HintWordsTests {
    @Test(arguments: [
        ("departureDate", ["departure", "date"]), ("departure_date", ["departure", "date"]),
        ("Departure date", ["departure", "date"]), ("IATA code2Go", ["iata", "code2", "go"]),
        ("  --x\tY\r\nz ", ["x", "y", "z"]), ("", []),
        ("GrößeInKilo", ["größe", "in", "kilo"]), ("Ünïcode_naïveName", ["ünïcode", "naïve", "name"]),
    ])
    func splitsIntoLowercaseWords(_ hint: String, words: [String]) {
        #expect(HintWords.split(hint) == words)
    }
}
