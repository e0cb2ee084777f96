/// A table whose columns line up by display width, whatever the script of the cells.
struct Table {
    /// One cell: its text and an optional colour.
    struct Cell {
        var text: String
        var style: Terminal.Style?

        init(_ text: String, _ style: Terminal.Style? = nil) {
            // Control characters are escaped and right-to-left text isolated before measuring.
            self.text = DisplayWidth.isolated(DisplayWidth.printable(text))
            self.style = style
        }
    }

    var headers: [String]
    /// Columns aligned to the right (numbers).
    var rightAligned: Set<Int> = []
    private(set) var rows: [[Cell]] = []

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ cells: [Cell]) { rows.append(cells) }

    /// Prints the header (dimmed) and the rows; the last column is not padded.
    func render(to out: Output) {
        var widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], DisplayWidth.of(cell.text))
            }
        }
        func line(_ cells: [Cell], header: Bool) {
            var text = ""
            for (column, cell) in cells.enumerated() {
                let width = DisplayWidth.of(cell.text)
                let padding = String(repeating: " ", count: max(0, widths[column] - width))
                let painted =
                    header
                    ? Terminal.paint(cell.text, .dim)
                    : cell.style.map { Terminal.paint(cell.text, $0) } ?? cell.text
                let isLast = column == cells.count - 1
                if rightAligned.contains(column) {
                    text += padding + painted
                } else {
                    text += painted + (isLast ? "" : padding)
                }
                if !isLast { text += "  " }
            }
            while text.last == " " { text.removeLast() }
            out.line(text)
        }
        line(headers.map { Cell($0) }, header: true)
        for row in rows { line(row, header: false) }
    }
}

/// Human sizes: `512 B`, `1.5 KiB`, `2.0 MiB`.
func humanBytes(_ bytes: Int64) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return "\((value * 10).rounded() / 10) \(units[unit])"
}

/// Human durations: `45s`, `3m12s`, `2h05m`, `3d04h`.
func humanDuration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded(.down))
    if total < 60 { return "\(total)s" }
    if total < 3600 { return "\(total / 60)m\(String(total % 60).leftPadded(2))s" }
    if total < 86_400 { return "\(total / 3600)h\(String(total / 60 % 60).leftPadded(2))m" }
    return "\(total / 86_400)d\(String(total / 3600 % 24).leftPadded(2))h"
}
