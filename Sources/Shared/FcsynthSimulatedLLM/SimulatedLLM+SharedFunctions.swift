extension SimulatedLLM {
    // Functions of parallel tasks, some shared by several domains.

    package static let weatherForecast = function(
        "get_weather_forecast", "Get the weather forecast for a city on a date.",
        parameters: [
            .string("city", "City name"), .string("date", "Date, YYYY-MM-DD"),
            .choice("units", ["metric", "imperial"], "Unit system", required: false),
        ],
        returns: [
            .number("temperature_high", "Highest temperature"), .number("temperature_low", "Lowest temperature"),
            .choice("conditions", ["sunny", "cloudy", "rain", "snow", "storm"], "Expected conditions"),
        ])

    package static let exchangeRate = function(
        "get_exchange_rate", "Get the current exchange rate between two currencies.",
        parameters: [
            .string("base", "ISO 4217 code to convert from"), .string("target", "ISO 4217 code to convert to"),
        ],
        returns: [.number("rate", "Units of target per unit of base"), .string("as_of", "Time of the quote, ISO 8601")])

    package static let transitRoutes = function(
        "find_transit_routes", "Find public transport routes between two places in a city.",
        parameters: [.string("city", "City name"), .string("from", "Start point"), .string("to", "End point")],
        returns: [
            .records(
                "routes",
                [
                    .string("line", "Line or service name"), .integer("duration_minutes", "Travel time"),
                    .number("fare", "Fare in euros"),
                ], "Routes found")
        ])

    package static let taxiFare = function(
        "estimate_taxi_fare", "Estimate a taxi fare between two addresses.",
        parameters: [
            .string("pickup", "Pickup address"), .string("dropoff", "Drop-off address"), .string("city", "City name"),
        ],
        returns: [
            .number("fare_estimate", "Estimated fare"), .string("currency", "ISO 4217 currency code"),
            .integer("duration_minutes", "Expected ride time"),
        ])

    package static let searchRestaurants = function(
        "search_restaurants", "Search restaurants in a city by cuisine and availability.",
        parameters: [
            .string("city", "City name"), .string("cuisine", "Type of cuisine", required: false),
            .integer("party_size", "Number of diners", required: false),
            .string("date", "Date, YYYY-MM-DD", required: false), .string("time", "Time, HH:MM", required: false),
        ],
        returns: [
            .records(
                "restaurants",
                [
                    .string("restaurant_id", "Restaurant identifier"), .string("name", "Restaurant name"),
                    .number("rating", "Rating out of 5"), .choice("price_level", ["$", "$$", "$$$"], "Price level"),
                ],
                "Matching restaurants")
        ])

    package static let searchShowtimes = function(
        "search_showtimes", "Search film showtimes in a city.",
        parameters: [
            .string("city", "City name"), .string("date", "Date, YYYY-MM-DD"),
            .string("genre", "Film genre", required: false), .string("language", "Spoken language", required: false),
        ],
        returns: [
            .records(
                "showtimes",
                [
                    .string("screening_id", "Screening identifier"), .string("title", "Film title"),
                    .string("start_time", "Start time"), .string("cinema", "Cinema name"),
                ], "Screenings")
        ])

    package static let pickupPoints = function(
        "find_pickup_points", "Find parcel lockers, post offices and pickup points in a city.",
        parameters: [.string("city", "City name"), .string("date", "Date, YYYY-MM-DD", required: false)],
        returns: [
            .records(
                "pickup_points",
                [
                    .string("point_id", "Pickup point identifier"), .string("address", "Street address"),
                    .string("opening_hours", "Opening hours that day"),
                ], "Pickup points")
        ])

    package static let nutritionFacts = function(
        "get_nutrition_facts", "Get the nutrition facts of a food portion.",
        parameters: [.string("food", "Food name"), .number("grams", "Portion weight in grams")],
        returns: [
            .number("calories", "Energy in kcal"), .number("protein_g", "Protein in grams"),
            .number("carbs_g", "Carbohydrates in grams"),
        ])

    package static let openStores = function(
        "find_open_stores", "Find shops of a kind open in a city at a given time.",
        parameters: [
            .string("city", "City name"), .choice("kind", ["supermarket", "pharmacy", "bakery"], "Kind of shop"),
            .string("date", "Date, YYYY-MM-DD"),
            .string("open_after", "Time the shop must still be open, HH:MM", required: false),
        ],
        returns: [
            .records(
                "stores",
                [
                    .string("store_id", "Store identifier"), .string("name", "Store name"),
                    .string("closes_at", "Closing time"),
                ], "Open stores")
        ])

    package static let parking = function(
        "check_parking", "Check parking availability near a place.",
        parameters: [
            .string("city", "City name"), .string("near", "Landmark or address"), .string("date", "Date, YYYY-MM-DD"),
        ],
        returns: [.integer("free_spaces", "Free spaces expected"), .number("hourly_rate", "Price per hour")])

    package static let publicHolidays = function(
        "get_public_holidays", "List the public holidays of a city's country in a date range.",
        parameters: [
            .string("city", "City name"), .string("from_date", "First date, YYYY-MM-DD"),
            .string("to_date", "Last date, YYYY-MM-DD"),
        ],
        returns: [
            .records(
                "holidays", [.string("date", "Date, YYYY-MM-DD"), .string("name", "Holiday name")],
                "Holidays in the range")
        ])

    package static let timeDifference = function(
        "get_time_difference", "Get the time difference between two cities.",
        parameters: [.string("city_a", "First city"), .string("city_b", "Second city")],
        returns: [
            .number("hours", "Hours city_b is ahead of city_a"), .string("city_a_time", "Current time in city_a"),
        ])

    package static let analystRating = function(
        "get_analyst_rating", "Get the analysts' consensus rating and price target for a stock.",
        parameters: [.string("symbol", "Ticker symbol")],
        returns: [
            .choice("consensus", ["strong_buy", "buy", "hold", "sell"], "Consensus rating"),
            .number("target_price", "Average price target"), .integer("analysts", "Number of analysts"),
        ])
}
