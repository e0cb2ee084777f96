/// A position in a catalogue's change log: `"<epoch>:<seq>"`.
///
/// The epoch names one catalogue (it changes when the catalogue is rebuilt); the sequence
/// number is the last change the holder has seen. Sequence numbers are never reused, so a
/// cursor stays meaningful across daemon restarts.
public struct ChangeCursor: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The catalogue's epoch (random, made when the catalogue was created).
    public var epoch: String
    /// The change-log sequence number.
    public var seq: Int64

    /// Creates a cursor.
    public init(epoch: String, seq: Int64) {
        self.epoch = epoch
        self.seq = seq
    }

    /// Parses `"<epoch>:<seq>"`; `nil` when malformed.
    public init?(_ description: String) {
        guard let colon = description.lastIndex(of: ":") else { return nil }
        let epoch = String(description[..<colon])
        guard !epoch.isEmpty, let seq = Int64(description[description.index(after: colon)...]), seq >= 0
        else { return nil }
        self.epoch = epoch
        self.seq = seq
    }

    public var description: String { "\(epoch):\(seq)" }
}
