extension SimulatedLLM {
    package static let flights = Domain(
        keyword: "flight",
        scenarios: [
            "booking flights for a trip", "finding a cheap flight abroad", "planning air travel for a family visit",
        ],
        atomTasks: [
            "Find the direct flights from {city} to {city2} on {date} that leave before noon.",
            "Find the cheapest economy flight from {city} to {city2} on {date}.",
            "Look up the flights from {city} to {city2} on {date} with at most one stop.",
        ],
        followUps: [
            "Book a seat on the earliest of those flights for {person}.",
            "Reserve an aisle seat on that flight for {person} with one checked bag.",
        ],
        parallels: [
            Parallel(
                task: "Get the weather forecast for {city2} on {date}.", function: weatherForecast,
                combination: "Book the earliest of those flights for {person} unless a storm is forecast."),
            Parallel(
                task: "Get the current exchange rate from euros to the local currency of {city2}.",
                function: exchangeRate,
                combination: "Work out the cheapest fare for {count} travellers in the local currency."),
        ],
        lookups: [
            function(
                "search_flights", "Search flights between two cities on a date.",
                parameters: [
                    .string("origin", "Departure city"), .string("destination", "Arrival city"),
                    .string("date", "Travel date, YYYY-MM-DD"),
                    .integer("max_stops", "Most stops allowed", required: false),
                    .choice("cabin", ["economy", "premium_economy", "business"], "Cabin class", required: false),
                ],
                returns: [
                    .records(
                        "flights",
                        [
                            .string("flight_id", "Flight identifier"),
                            .string("departure_time", "Local departure time"),
                            .number("price", "Fare in euros"), .integer("stops", "Number of stops"),
                        ],
                        "Matching flights")
                ]),
            function(
                "get_flight_details", "Get the schedule, aircraft and seat availability of a flight.",
                parameters: [.string("flight_id", "Flight identifier")],
                returns: [
                    .string("flight_id", "Flight identifier"), .string("aircraft", "Aircraft type"),
                    .string("arrival_time", "Local arrival time"), .integer("seats_left", "Seats still free"),
                ]),
        ],
        action: function(
            "book_flight", "Book a seat on a flight for a passenger.",
            parameters: [
                .string("flight_id", "Flight identifier"), .string("passenger_name", "Full name of the passenger"),
                .choice("seat_preference", ["window", "aisle", "any"], "Seat preference", required: false),
                .integer("checked_bags", "Checked bags", required: false),
            ],
            returns: [
                .string("booking_reference", "Booking reference"),
                .choice("status", ["confirmed", "waitlisted"], "Booking status"),
                .number("total_price", "Total charged in euros"),
            ])
    )

    package static let hotels = Domain(
        keyword: "hotel",
        scenarios: [
            "reserving a hotel room", "finding accommodation for a conference", "booking a weekend getaway stay",
        ],
        atomTasks: [
            "Find hotels in {city} with free cancellation for {count} guests from {date} for two nights.",
            "Look up the hotel rooms in central {city} under 150 euros a night on {date}.",
            "Find the best-rated hotel near the main station of {city} available on {date}.",
        ],
        followUps: [
            "Book the cheapest of those hotel rooms for {person}.",
            "Reserve a room at that hotel for {person} with breakfast included.",
        ],
        parallels: [
            Parallel(
                task: "Find the public transport routes from the airport to the centre of {city}.",
                function: transitRoutes,
                combination: "Book {person} into the hotel with the lowest total of room price and transport fare."),
            Parallel(
                task: "Get the weather forecast for {city} on {date}.", function: weatherForecast,
                combination: "Work out the cost of two nights and say whether rain is expected."),
        ],
        lookups: [
            function(
                "search_hotels", "Search hotels in a city for a stay.",
                parameters: [
                    .string("city", "City name"), .string("check_in", "Check-in date, YYYY-MM-DD"),
                    .integer("nights", "Number of nights"), .integer("guests", "Number of guests"),
                    .number("max_price", "Highest nightly price in euros", required: false),
                ],
                returns: [
                    .records(
                        "hotels",
                        [
                            .string("hotel_id", "Hotel identifier"), .string("name", "Hotel name"),
                            .number("nightly_price", "Price per night in euros"),
                            .number("rating", "Guest rating out of 10"),
                        ],
                        "Hotels with free rooms")
                ]),
            function(
                "get_hotel_details", "Get the address, amenities and cancellation policy of a hotel.",
                parameters: [.string("hotel_id", "Hotel identifier")],
                returns: [
                    .string("address", "Street address"), .list("amenities", of: .string, "Amenities offered"),
                    .boolean("free_cancellation", "Whether cancellation is free"),
                ]),
        ],
        action: function(
            "book_hotel_room", "Book a room at a hotel.",
            parameters: [
                .string("hotel_id", "Hotel identifier"), .string("guest_name", "Name of the main guest"),
                .string("check_in", "Check-in date, YYYY-MM-DD"), .integer("nights", "Number of nights"),
                .boolean("breakfast", "Whether to include breakfast", required: false),
            ],
            returns: [
                .string("confirmation_number", "Confirmation number"), .number("total_price", "Total price in euros"),
            ])
    )

    package static let restaurants = Domain(
        keyword: "restaurant",
        scenarios: [
            "booking a table at a restaurant", "choosing a place for a birthday dinner", "finding somewhere to eat out",
        ],
        atomTasks: [
            "Find {cuisine} restaurants in {city} with a table for {count} at {time} on {date}.",
            "Look up the best-rated {cuisine} restaurant within 2 km of the centre of {city}.",
            "Find vegetarian-friendly restaurants in {city} open after 10 pm on {date}.",
        ],
        followUps: [
            "Book a table for {count} at that restaurant at {time} on {date} under the name {person}.",
            "Reserve a table at the top result for {person} at {time} on {date}.",
        ],
        parallels: [
            Parallel(
                task: "Find a taxi fare estimate from the main station of {city} to the city centre.",
                function: taxiFare,
                combination: "Work out the total evening cost for {count} people including the taxi."),
            Parallel(
                task: "Find {genre} films showing in {city} on {date} after 9 pm.", function: searchShowtimes,
                combination: "Reserve a table for {count} under {person} early enough to make the film afterwards."),
        ],
        lookups: [
            searchRestaurants,
            function(
                "get_restaurant_menu", "Get a restaurant's menu and dietary options.",
                parameters: [.string("restaurant_id", "Restaurant identifier")],
                returns: [
                    .list("dishes", of: .string, "Dishes on the menu"),
                    .boolean("vegetarian_options", "Whether vegetarian dishes are offered"),
                ]),
        ],
        action: function(
            "reserve_table", "Reserve a table at a restaurant.",
            parameters: [
                .string("restaurant_id", "Restaurant identifier"), .integer("party_size", "Number of diners"),
                .string("date", "Date, YYYY-MM-DD"), .string("time", "Time, HH:MM"),
                .string("name", "Name for the reservation"),
            ],
            returns: [
                .string("reservation_id", "Reservation identifier"),
                .choice("status", ["confirmed", "pending"], "Reservation status"),
            ])
    )

    package static let parcels = Domain(
        keyword: "parcel",
        scenarios: ["tracking a parcel delivery", "sending a package to a relative", "returning an online order"],
        atomTasks: [
            "Track the parcel with tracking number {tracking} and report where it is now.",
            "Get the delivery estimate for the parcel with tracking number {tracking}.",
            "Find the shipping options for a {weight} kg parcel from {city} to {city2}.",
        ],
        followUps: [
            "Redirect that parcel to the pickup point nearest to {person}'s address in {city2}.",
            "Schedule a delivery slot for that parcel on {date} for {person}.",
        ],
        parallels: [
            Parallel(
                task: "Find the parcel lockers in {city2} open on {date}.", function: pickupPoints,
                combination: "Send the parcel to whichever pickup point is open when it arrives, for {person}."),
            Parallel(
                task: "Get the opening hours of the post offices in {city2} on {date}.", function: pickupPoints,
                combination: "Compare the opening hours with the delivery estimate and pick the earliest option."),
        ],
        lookups: [
            function(
                "track_parcel", "Get the tracking status of a parcel.",
                parameters: [.string("tracking_number", "Carrier tracking number")],
                returns: [
                    .string("parcel_id", "Internal parcel identifier"),
                    .choice("status", ["in_transit", "out_for_delivery", "delivered", "held"], "Current status"),
                    .string("location", "Last scanned location"),
                ]),
            function(
                "get_delivery_estimate", "Get the expected delivery window of a parcel.",
                parameters: [.string("parcel_id", "Internal parcel identifier")],
                returns: [
                    .string("earliest", "Earliest delivery time, ISO 8601"),
                    .string("latest", "Latest delivery time, ISO 8601"),
                ]),
        ],
        action: function(
            "redirect_parcel", "Send a parcel to another address or pickup point.",
            parameters: [
                .string("parcel_id", "Internal parcel identifier"), .string("recipient_name", "Name of the recipient"),
                .string("point_id", "Pickup point identifier", required: false),
                .string("delivery_date", "Requested date, YYYY-MM-DD", required: false),
            ],
            returns: [
                .boolean("accepted", "Whether the carrier accepted the change"),
                .string("new_estimate", "New delivery estimate"),
            ])
    )

    package static let recipes = Domain(
        keyword: "recipe",
        scenarios: ["cooking dinner at home", "planning meals for the week", "baking for a party"],
        atomTasks: [
            "Find a recipe for {dish} that serves {count} and takes under 45 minutes.",
            "Look up a vegetarian recipe for {dish} with its ingredient list.",
            "Find a recipe for {dish} without nuts that serves {count}.",
        ],
        followUps: [
            "Add the ingredients of that recipe to {person}'s shopping list.",
            "Scale that recipe to serve {count} people and save it to {person}'s cookbook.",
        ],
        parallels: [
            Parallel(
                task: "Get the nutrition facts of 100 g of cooked brown rice.", function: nutritionFacts,
                combination: "Add up the calories of the recipe and the rice per serving."),
            Parallel(
                task: "Find the supermarkets in {city} open on {date} after 6 pm.", function: openStores,
                combination: "Add the recipe's ingredients to {person}'s shopping list for the supermarket open latest."
            ),
        ],
        lookups: [
            function(
                "search_recipes", "Search recipes by dish, diet and time.",
                parameters: [
                    .string("query", "Dish or ingredient to search for"),
                    .integer("servings", "Number of servings", required: false),
                    .integer("max_minutes", "Longest total time", required: false),
                    .choice(
                        "diet", ["none", "vegetarian", "vegan", "nut_free"], "Dietary restriction", required: false),
                ],
                returns: [
                    .records(
                        "recipes",
                        [
                            .string("recipe_id", "Recipe identifier"), .string("title", "Recipe title"),
                            .integer("total_minutes", "Total time"),
                        ], "Matching recipes")
                ]),
            function(
                "get_recipe_ingredients", "Get the ingredients and quantities of a recipe.",
                parameters: [
                    .string("recipe_id", "Recipe identifier"),
                    .integer("servings", "Servings to scale to", required: false),
                ],
                returns: [
                    .list("ingredients", of: .string, "Ingredients with quantities"),
                    .number("calories_per_serving", "Energy per serving in kcal"),
                ]),
        ],
        action: function(
            "add_to_shopping_list", "Add items to a person's shopping list.",
            parameters: [
                .string("owner", "Whose list"), .list("items", of: .string, "Items to add"),
                .string("recipe_id", "Recipe the items come from", required: false),
            ],
            returns: [.integer("items_added", "Items added"), .string("list_id", "Shopping list identifier")])
    )

    package static let movies = Domain(
        keyword: "film",
        scenarios: ["going to the cinema", "choosing a film for family night", "buying tickets for a premiere"],
        atomTasks: [
            "Find {genre} films showing in {city} on {date} after 6 pm.",
            "Look up the showtimes of the new {genre} film at cinemas in {city} on {date}.",
            "Find the cinemas in {city} showing a {genre} film in English on {date}.",
        ],
        followUps: [
            "Buy {count} tickets for the first of those film screenings for {person}.",
            "Reserve {count} seats in the middle row for that film screening under {person}.",
        ],
        parallels: [
            Parallel(
                task: "Find {cuisine} restaurants near the centre of {city} open until 11 pm on {date}.",
                function: searchRestaurants,
                combination: "Buy {count} tickets for the screening that leaves time for dinner first."),
            Parallel(
                task: "Check the parking availability near the main cinema of {city} on {date}.", function: parking,
                combination: "Work out the total cost of tickets and parking for {count} people."),
        ],
        lookups: [
            searchShowtimes,
            function(
                "get_screening_seats", "Get the free seats and prices of a screening.",
                parameters: [.string("screening_id", "Screening identifier")],
                returns: [.integer("free_seats", "Seats still free"), .number("ticket_price", "Price per ticket")]),
        ],
        action: function(
            "buy_tickets", "Buy tickets for a screening.",
            parameters: [
                .string("screening_id", "Screening identifier"), .integer("quantity", "Number of tickets"),
                .string("buyer_name", "Name of the buyer"),
                .choice("seat_area", ["front", "middle", "back"], "Preferred seat area", required: false),
            ],
            returns: [
                .string("order_id", "Order identifier"), .list("seats", of: .string, "Seats assigned"),
                .number("total_price", "Amount charged"),
            ])
    )

    package static let meetings = Domain(
        keyword: "meeting",
        scenarios: ["scheduling a team meeting", "arranging a call with a client", "planning a workshop"],
        atomTasks: [
            "Find a free one-hour meeting slot for {person} and the design team on {date}.",
            "Look up {person}'s calendar for meeting conflicts on {date} between 9 am and 5 pm.",
            "Find a meeting room in the {city} office for {count} people on {date} at {time}.",
        ],
        followUps: [
            "Send a meeting invitation for that slot to {person} with the agenda 'Q3 planning'.",
            "Book that meeting slot and notify {person} by email.",
        ],
        parallels: [
            Parallel(
                task: "Get the public holidays in {city2} for the week of {date}.", function: publicHolidays,
                combination: "Compare the free slots with the holidays and say which ones remain."),
            Parallel(
                task: "Find the time difference between {city} and {city2}.", function: timeDifference,
                combination: "Invite {person} to a free slot that falls in working hours in both cities."),
        ],
        lookups: [
            function(
                "find_free_slots", "Find free time slots shared by several calendars.",
                parameters: [
                    .list("attendees", of: .string, "Names or emails of the attendees"),
                    .string("date", "Date, YYYY-MM-DD"),
                    .integer("duration_minutes", "Length of the meeting"),
                ],
                returns: [
                    .records(
                        "slots",
                        [
                            .string("slot_id", "Slot identifier"), .string("start", "Start time, ISO 8601"),
                            .string("end", "End time, ISO 8601"),
                        ], "Free slots")
                ]),
            function(
                "get_room_availability", "Get the rooms free during a slot.",
                parameters: [
                    .string("slot_id", "Slot identifier"),
                    .integer("capacity", "People the room must hold", required: false),
                ],
                returns: [
                    .list("rooms", of: .string, "Free rooms"),
                    .boolean("has_video", "Whether a room with video conferencing is free"),
                ]),
        ],
        action: function(
            "send_meeting_invite", "Create a calendar event and invite attendees.",
            parameters: [
                .string("slot_id", "Slot identifier"), .list("attendees", of: .string, "Attendees to invite"),
                .string("title", "Event title"), .string("agenda", "Agenda", required: false),
            ],
            returns: [.string("event_id", "Event identifier"), .integer("invites_sent", "Invitations sent")])
    )

    package static let stocks = Domain(
        keyword: "stock",
        scenarios: ["managing an investment portfolio", "checking stock prices", "rebalancing retirement savings"],
        atomTasks: [
            "Get the latest stock price of {ticker} in US dollars.",
            "Look up the stock performance of {ticker} over the past 30 days.",
            "Find the dividend yield of the stock {ticker} for the last fiscal year.",
        ],
        followUps: [
            "Buy {count} shares of that stock for {person}'s brokerage account at market price.",
            "Set a price alert for that stock 5 percent below its current price for {person}.",
        ],
        parallels: [
            Parallel(
                task: "Get the analyst consensus rating and target price for {ticker}.", function: analystRating,
                combination: "Say whether the current price is below the analysts' target price."),
            Parallel(
                task: "Get the current exchange rate from US dollars to euros.", function: exchangeRate,
                combination: "Work out the cost in euros of buying {count} shares."),
        ],
        lookups: [
            function(
                "get_stock_quote", "Get the latest quote of a stock.",
                parameters: [
                    .string("symbol", "Ticker symbol"),
                    .choice("currency", ["USD", "EUR", "GBP"], "Quote currency", required: false),
                ],
                returns: [
                    .string("symbol", "Ticker symbol"), .number("price", "Last price"),
                    .number("change_percent", "Change today in percent"),
                ]),
            function(
                "get_price_history", "Get a stock's daily closing prices.",
                parameters: [.string("symbol", "Ticker symbol"), .integer("days", "Number of past trading days")],
                returns: [
                    .list("closes", of: .number, "Daily closing prices, oldest first"),
                    .number("return_percent", "Return over the period"),
                ]),
        ],
        action: function(
            "place_stock_order", "Place an order to buy or sell shares.",
            parameters: [
                .string("symbol", "Ticker symbol"), .integer("quantity", "Number of shares"),
                .choice("side", ["buy", "sell"], "Order side"), .string("account_holder", "Name on the account"),
                .choice("order_type", ["market", "limit"], "Order type", required: false),
            ],
            returns: [
                .string("order_id", "Order identifier"),
                .choice("status", ["filled", "open", "rejected"], "Order status"),
                .number("average_price", "Average fill price"),
            ])
    )
}
