/// FinchSupport holds what every Finch layer shares and none owns: delimited text, JSON Lines,
/// JSON values, atomic file writes, top-k selection, progress events and error locations.
/// It depends on Foundation only, so every other target may import it.
public enum FinchSupport {
    /// The version of the Finch libraries.
    public static let version = "0.1.0"
}
