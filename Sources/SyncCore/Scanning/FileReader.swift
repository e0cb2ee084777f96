import Crypto
import Glibc
import NewsCore
import TextAnalysis

/// Why a regular file's bytes are not an article, although they were read and hashed.
public enum ContentProblem: Sendable, Equatable {
    case tooLarge(size: Int64, limit: Int64)
    case notUTF8(offset: Int)
    case binary(offset: Int)

    /// The reason recorded in the catalogue.
    public var reason: String {
        switch self {
        case .tooLarge(let size, let limit): "too large (\(size) bytes; the limit is \(limit))"
        case .notUTF8(let offset): "not valid UTF-8 (first bad byte at offset \(offset))"
        case .binary(let offset): "not text (NUL byte at offset \(offset))"
        }
    }
}

/// The bytes of one file as read: their hash, and the decoded text when they are an article.
public struct FileContent: Sendable {
    /// SHA-256 of the raw bytes.
    public var sha256: [UInt8]
    /// Number of bytes read.
    public var size: Int64
    /// The UTF-8 text, when the bytes are valid text within the size limit: all of it, or
    /// for a file longer than `TextAnalyzer.analysedPrefixBytes` only the prefix the analysis
    /// reads (see `wholeTextKey`).
    public var text: String?
    /// Why the bytes are not an article, if they are not.
    public var problem: ContentProblem?
    /// The normalised key of the whole text when `text` is only its prefix; nil otherwise.
    public var wholeTextKey: String?
}

/// The result of trying to read one path.
public enum ReadOutcome: Sendable {
    /// Read and hashed; `stat` is the descriptor's state, unchanged from before to after.
    case read(stat: FileStat, content: FileContent)
    /// The path is no longer a regular file (checked on the open descriptor).
    case notRegular(stat: FileStat)
    /// The path no longer exists.
    case vanished
    /// The file changed while it was being read; read it again later.
    case changedWhileReading
    /// It could not be opened or read; the error says why.
    case failed(SystemError)
}

/// Reads one file safely: never follows a symlink, never blocks on a FIFO, checks the type
/// on the open descriptor, hashes and validates in the same pass, and detects a file that
/// moved on while it was read (by `fstat`ing the same descriptor afterwards).
public struct FileReader: Sendable {
    /// Files larger than this are hashed but not analysed.
    public var sizeLimit: Int64

    /// Creates a reader with the given size limit.
    public init(sizeLimit: Int64) { self.sizeLimit = sizeLimit }

    /// Reads the file at the absolute C path.
    public func read(_ path: [CChar]) -> ReadOutcome {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            let error = SystemError("open")
            switch error.code {
            case ENOENT, ENOTDIR: return .vanished
            case ELOOP:
                // O_NOFOLLOW on a symlink: it was replaced by one after the lstat.
                if case .success(let st) = FileStat.lstat(path) { return .notRegular(stat: st) }
                return .vanished
            default: return .failed(error)
            }
        }
        defer { close(fd) }
        let before: FileStat
        switch FileStat.fstat(fd) {
        case .success(let st): before = st
        case .failure(let error): return .failed(error)
        }
        guard before.kind == .regular else { return .notRegular(stat: before) }

        let read =
            if before.size > sizeLimit {
                hashOnly(fd)
            } else if before.size > TextAnalyzer.analysedPrefixBytes {
                StreamedText.read(fd, sizeLimit: sizeLimit)
            } else {
                readWhole(fd, expected: before.size)
            }
        let content: FileContent
        switch read {
        case .success(let c): content = c
        case .failure(let error): return .failed(error)
        }

        let after: FileStat
        switch FileStat.fstat(fd) {
        case .success(let st): after = st
        case .failure(let error): return .failed(error)
        }
        guard after.sameContentKey(as: before), content.size == after.size else {
            return .changedWhileReading
        }
        return .read(stat: after, content: content)
    }

    /// Reads the whole file into memory (articles are small: this path is for files up to the
    /// analysed prefix; `StreamedText` reads longer ones), hashes it and validates it.
    private func readWhole(_ fd: Int32, expected: Int64) -> Result<FileContent, SystemError> {
        // Read straight into the array's storage: no zero-filling and no intermediate chunk.
        // The byte of headroom lets a file that grew since fstat be noticed without a copy.
        var bytes: [UInt8] = []
        var capacity = Int(expected) + 1
        while true {
            var failure: SystemError?
            var atEnd = false
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var filled = previous.count
                _ = buffer.initialize(from: previous)
                while filled < capacity {
                    let got = Glibc.read(fd, buffer.baseAddress.map { $0 + filled }, capacity - filled)
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = SystemError("read")
                        break
                    }
                    if got == 0 {
                        atEnd = true
                        break
                    }
                    filled += got
                }
                initialized = filled
            }
            if let failure { return .failure(failure) }
            if atEnd { break }
            if Int64(bytes.count) > sizeLimit { return hashRest(fd, prefix: bytes) }
            capacity *= 2
        }
        let digest = Array(SHA256.hash(data: bytes))
        var content = FileContent(sha256: digest, size: Int64(bytes.count), text: nil, problem: nil)
        if let offset = TextValidation.firstNUL(in: bytes) {
            content.problem = .binary(offset: offset)
        } else if let text = String(validating: bytes, as: UTF8.self) {
            content.text = text
        } else {
            content.problem = .notUTF8(offset: TextValidation.firstInvalidUTF8Offset(in: bytes) ?? 0)
        }
        return .success(content)
    }

    /// Streams the file through SHA-256 without keeping it (over the size limit).
    private func hashOnly(_ fd: Int32) -> Result<FileContent, SystemError> {
        hashRest(fd, prefix: [])
    }

    private func hashRest(_ fd: Int32, prefix: [UInt8]) -> Result<FileContent, SystemError> {
        var hasher = SHA256()
        hasher.update(data: prefix)
        var total = Int64(prefix.count)
        let outcome = FileReader.forEachChunk(fd, size: 1 << 20) { bytes in
            hasher.update(bufferPointer: bytes)
            total += Int64(bytes.count)
        }
        if case .failure(let error) = outcome { return .failure(error) }
        let digest = Array(hasher.finalize())
        return .success(
            FileContent(
                sha256: digest, size: total, text: nil,
                problem: .tooLarge(size: total, limit: sizeLimit)))
    }

    /// Reads `fd` to its end through one buffer of `size` bytes, handing each chunk to `body`.
    static func forEachChunk(
        _ fd: Int32, size: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) -> Result<Void, SystemError> {
        var chunk = [UInt8](repeating: 0, count: size)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError("read"))
            }
            if n == 0 { return .success(()) }
            chunk.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}

/// Byte-level checks that decide whether a file is text.
enum TextValidation {
    static func firstNUL(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { firstNUL(in: $0) }
    }

    /// Offset of the first NUL byte of `raw` (memchr), nil when there is none.
    static func firstNUL(in raw: UnsafeRawBufferPointer) -> Int? {
        guard let base = raw.baseAddress, let hit = memchr(base, 0, raw.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Offset of the first byte that does not start a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
