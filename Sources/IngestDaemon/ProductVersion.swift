/// The product's version: what `ingestd --version` and `ingestctl --version` print and what
/// `scripts/package` names the Debian package after (it reads the literal below).
public enum ProductVersion {
    public static let string = "0.7.0"
}
