/// The one-line form of a pass's progress, the same on `newsd scan`'s terminal, in the
/// daemon's systemd `STATUS=` and in `newsctl status`.
extension ScanProgress {
    /// `walking: 12,345 files in 678 directories`, then `64,000 files walked; 12,345 of
    /// 48,000 read (25%), 1,480 files/s, about 23 s left`.
    public var text: String {
        let grouped = Self.grouped
        guard let toRead else {
            return "walking: \(grouped(walked)) files in \(grouped(directories)) directories"
        }
        var line = "\(grouped(walked)) files walked; "
        guard toRead > 0 else { return line + "nothing to read" }
        let percent = min(100, read * 100 / toRead)
        line += "\(grouped(read)) of \(grouped(toRead)) read (\(percent)%)"
        if let filesPerSecond { line += ", \(grouped(Int(filesPerSecond.rounded()))) files/s" }
        // None once everything is written, though the reads may have finished well before.
        if let etaSeconds, etaSeconds > 0 { line += ", about \(Self.duration(etaSeconds)) left" }
        return line
    }

    /// `1234567` as `1,234,567`: counts this large are read at a glance with the separators.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// A rough duration: seconds under a minute and a half, minutes under an hour and a half,
    /// then hours and minutes (an estimate is not worth more digits).
    static func duration(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded(.up))
        if whole < 90 { return "\(whole) s" }
        let minutes = (whole + 30) / 60
        if minutes < 90 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }
}
