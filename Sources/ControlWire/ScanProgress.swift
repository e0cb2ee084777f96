/// How far a pass over the whole tree has got, as a progress line or `status` shows it.
public struct ScanProgress: Sendable, Equatable {
    /// Directories listed so far.
    public var directories: Int
    /// Entries other than directories the walk has found so far.
    public var walked: Int
    /// Files the pass has to read, once the walk is done and they are known (`nil` before).
    public var toRead: Int?
    /// Files read so far (each looked at once, whatever it turned out to be).
    public var read: Int
    /// Files read and written to the catalogue per second since the walk ended, once there is
    /// enough to say (0: nothing is written yet).
    public var filesPerSecond: Double?
    /// Seconds the rest should take at that rate (the writer's, which the reads run ahead of).
    public var etaSeconds: Double?

    /// Memberwise initialiser.
    public init(
        directories: Int, walked: Int, toRead: Int?, read: Int, filesPerSecond: Double? = nil,
        etaSeconds: Double? = nil
    ) {
        self.directories = directories
        self.walked = walked
        self.toRead = toRead
        self.read = read
        self.filesPerSecond = filesPerSecond
        self.etaSeconds = etaSeconds
    }

    /// Whether the walk is still going (the files to read are not known yet).
    public var isWalking: Bool { toRead == nil }
}
