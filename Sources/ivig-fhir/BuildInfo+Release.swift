// Written by scripts/release.sh for a release build, and restored after it; keep it this shape.
enum ReleaseStamp {
    static let version = "dev"
    static let commit = "unknown"
}
