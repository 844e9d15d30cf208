import ArgumentParser

/// `--response-format`: how strictly the endpoint is asked for JSON.
enum ResponseFormatOption: String, ExpressibleByArgument, CaseIterable {
    case jsonSchema = "json_schema"
    case jsonObject = "json_object"
    case off
}
