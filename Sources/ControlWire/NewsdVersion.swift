/// The version of newsd and newsctl, reported by `--version` and by `status`.
public enum NewsdVersion {
    /// The release version.
    public static let string = "0.1.0"
}
