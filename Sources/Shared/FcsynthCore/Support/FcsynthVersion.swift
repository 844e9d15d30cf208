/// The release records and exports name as their maker.
public enum FcsynthVersion {
    public static let current = "0.4.0"
}
