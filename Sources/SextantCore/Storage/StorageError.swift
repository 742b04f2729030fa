/// Failures every backend reports the same way, so the HTTP layer can answer them alike.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// The disk (or quota) is full: nothing of the write was kept; retry when space returns.
    case diskFull

    public var description: String {
        switch self {
        case .diskFull: "the disk is full"
        }
    }
}
