import FcsynthCore
/// The whole record (messages, tools, functions with their `responses`, lineage, usage) in
/// `ConversationRecord`'s own `Codable` form, so that a raw line decodes back to the record.
///
/// Written by hand for speed; the bytes are those `JSONCoding.encode(record)` would produce
/// (keys sorted, absent optionals left out), which the tests check.
public struct RawFormatter: ConversationFormatter {
    public init() {}

    public func line(for record: ConversationRecord) throws -> [UInt8] {
        try formatting(record, as: .raw) { () throws(ExportFailure) in
            var out = JSONBytes(capacity: 4096)
            out.raw(#"{"functions":["#)
            for (index, function) in record.functions.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw(#"{"description":"#)
                out.string(function.description)
                out.raw(#","name":"#)
                out.string(function.name)
                out.raw(#","parameters":"#)
                try out.exported(function.parameters)
                out.raw(#","responses":"#)
                try out.exported(function.responses)
                out.byte(UInt8(ascii: "}"))
            }
            out.raw(#"],"id":"#)
            out.string(record.id)
            out.raw(#","lineage":"#)
            write(record.lineage, to: &out)
            out.raw(#","messages":["#)
            for (index, message) in record.messages.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                write(message, to: &out)
            }
            out.raw(#"],"tools":["#)
            for (index, tool) in record.tools.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw(#"{"function":{"description":"#)
                out.string(tool.function.description)
                out.raw(#","name":"#)
                out.string(tool.function.name)
                out.raw(#","parameters":"#)
                try out.exported(tool.function.parameters)
                out.raw(#"},"type":"#)
                out.string(tool.type)
                out.byte(UInt8(ascii: "}"))
            }
            out.raw(#"],"usage":{"completion_tokens":"#)
            out.rawText(String(record.usage.completionTokens))
            out.raw(#","prompt_tokens":"#)
            out.rawText(String(record.usage.promptTokens))
            out.raw("}}")
            return out.bytes
        }
    }

    private func write(_ lineage: Lineage, to out: inout JSONBytes) {
        out.raw(#"{"atom_task":"#)
        out.string(lineage.atomTask)
        out.raw(#","composition_mode":"#)
        out.string(lineage.compositionMode.rawValue)
        out.raw(#","composition_task":"#)
        out.string(lineage.compositionTask)
        out.raw(#","item_id":"#)
        out.string(lineage.itemId)
        out.raw(#","line":"#)
        out.rawText(String(lineage.line))
        out.raw(#","run":"#)
        out.string(lineage.run)
        out.raw(#","scenario":"#)
        out.string(lineage.scenario)
        out.raw(#","sub_tasks":["#)
        for (index, subTask) in lineage.subTasks.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.string(subTask)
        }
        out.raw("]}")
    }

    private func write(_ message: OutputMessage, to out: inout JSONBytes) {
        out.byte(UInt8(ascii: "{"))
        if let content = message.content {
            out.raw(#""content":"#)
            out.string(content)
            out.byte(UInt8(ascii: ","))
        }
        out.raw(#""role":"#)
        out.string(message.role.rawValue)
        if let toolCallId = message.toolCallId {
            out.raw(#","tool_call_id":"#)
            out.string(toolCallId)
        }
        if let toolCalls = message.toolCalls {
            out.raw(#","tool_calls":["#)
            for (index, call) in toolCalls.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw(#"{"function":{"arguments":"#)
                out.string(call.function.arguments)
                out.raw(#","name":"#)
                out.string(call.function.name)
                out.raw(#"},"id":"#)
                out.string(call.id)
                out.raw(#","type":"#)
                out.string(call.type)
                out.byte(UInt8(ascii: "}"))
            }
            out.byte(UInt8(ascii: "]"))
        }
        out.byte(UInt8(ascii: "}"))
    }
}
