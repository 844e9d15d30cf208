import FcsynthCore

extension SimulatedLLM {
    /// One area of everyday life the simulator writes about: its scenarios, task templates and
    /// functions. Templates hold `{slot}` placeholders filled from `SimulatedLLM.slots`.
    package struct Domain {
        /// A word every atomic task of the domain contains, by which later calls recognise it.
        package var keyword: String
        package var scenarios: [String]
        package var atomTasks: [String]
        /// Tasks that need an atomic task's output (sequential composition).
        package var followUps: [String]
        /// Tasks independent of the atomic task, for parallel-then-sequential composition.
        package var parallels: [Parallel]
        /// Serve the atomic task, the second (when present) chained on the first's output.
        package var lookups: [FunctionDefinition]
        /// Serves follow-ups and the combinations that act rather than reason.
        package var action: FunctionDefinition
    }

    /// A parallel task, the function that serves it, and a subsequent task that needs its
    /// output and the atomic task's; a combination opening with one of `logicVerbs` needs no function.
    package struct Parallel {
        package var task: String
        package var function: FunctionDefinition
        package var combination: String
    }

    /// Openings of sub-tasks the assistant does itself: logic, comparison, arithmetic.
    package static let logicVerbs = ["Compare", "Work out", "Say which", "Add up"]

    package static let slots: [String: [String]] = [
        "city": [
            "Lisbon", "Oslo", "Denver", "Osaka", "Toronto", "Nairobi", "Madrid", "Melbourne", "Prague", "Chicago",
        ],
        "city2": ["Vienna", "Boston", "Seoul", "Dublin", "Lima", "Helsinki", "Austin", "Porto", "Cape Town", "Zurich"],
        "date": [
            "3 May 2025", "14 March 2025", "21 June 2025", "9 September 2025", "2 November 2025", "18 January 2026",
        ],
        "person": [
            "Anna Weber", "Luis Ortega", "Mei Tanaka", "Samuel Okoye", "Priya Nair", "Jonas Berg", "Chloe Martin",
        ],
        "count": ["2", "3", "4", "5", "6"],
        "time": ["7 pm", "12:30 pm", "8 am", "6:45 pm", "10 am"],
        "cuisine": ["Italian", "Thai", "Lebanese", "Mexican", "Japanese", "Ethiopian"],
        "dish": [
            "mushroom risotto", "chicken tikka masala", "vegetable lasagne", "pad thai", "lentil soup", "banana bread",
        ],
        "genre": ["science fiction", "comedy", "documentary", "animated", "thriller"],
        "ticker": ["AAPL", "MSFT", "NVDA", "SAP", "TM", "ASML"],
        "ticker2": ["GOOGL", "AMZN", "INTC", "SONY", "NESN", "SHEL"],
        "tracking": ["1Z999AA10123456784", "JD014600006281234567", "LX553920128DE", "9400111899223344556677"],
        "amount": ["250", "1200", "80", "4500", "60"],
        "weight": ["2.5", "0.8", "12", "5"],
    ]

    package static let domains: [Domain] = [flights, hotels, restaurants, parcels, recipes, movies, meetings, stocks]
}
