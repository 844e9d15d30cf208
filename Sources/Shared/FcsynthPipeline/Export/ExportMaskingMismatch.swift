/// A following export asked to resume a file written with the other masking: masked and
/// unmasked lines in one file would not be one dataset, and starting the file afresh would
/// lose the entries its acknowledgements already let the stream trim.
public struct ExportMaskingMismatch: Error, Hashable, CustomStringConvertible {
    public var path: String
    /// Whether the file's lines have masked names.
    public var fileMasked: Bool

    public var description: String {
        "\(path) was written \(fileMasked ? "with" : "without") --mask-function-names; resume it the same way, "
            + "or export to another file"
    }
}
