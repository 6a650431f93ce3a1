/// The version of Finch, as model cards, run records and `--version` name it.
public enum FinchVersion {
    public static let string = "0.1.0"
}
