import FinchSupport
import FinchTensor
import FinchTransformers
import Foundation

/// Problems reading a corpus or its index.
public enum SearchError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case badLine(path: String, line: Int, reason: String)
    case emptyCorpus(path: String)
    /// The index file exists but is not a readable file (a folder, no permission).
    case unreadableIndex(path: String, reason: String)
    /// The index file could not be written.
    case unwritableIndex(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .badLine(path, line, reason): return "\(path):\(line): \(reason)"
        case let .emptyCorpus(path): return "\(path): the corpus has no texts"
        case let .unreadableIndex(path, reason): return "\(path): cannot read the index: \(reason)"
        case let .unwritableIndex(path, reason): return "\(path): cannot write the index: \(reason)"
        }
    }
}

/// Reads corpora and keeps their index files (`<corpus>.finch-index`) in step with them.
public enum CorpusIndexStore {
    /// One text per line, or JSONL (`.jsonl` or first line `{`) objects with
    /// `text` and optional `id`. Blank lines are skipped; ids default to line numbers.
    public static func readCorpus(_ url: URL) throws -> [CorpusEntry] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SearchError.unreadable(path: url.path, reason: systemReason(error)) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SearchError.unreadable(path: url.path, reason: "not UTF-8")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let jsonl =
            url.pathExtension.lowercased() == "jsonl" || lines.first.map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("{") } == true
        var out: [CorpusEntry] = []
        for (i, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard jsonl else {
                out.append(CorpusEntry(id: String(i + 1), text: line))
                continue
            }
            let parsed: Any
            do { parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
                throw SearchError.badLine(path: url.path, line: i + 1, reason: "invalid JSON")
            }
            guard let object = parsed as? [String: Any] else {
                throw SearchError.badLine(path: url.path, line: i + 1, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String, !text.isEmpty else {
                throw SearchError.badLine(path: url.path, line: i + 1, reason: "missing string field \"text\"")
            }
            let id: String
            switch object["id"] {
            case nil: id = String(i + 1)
            case let s as String: id = s
            case let n as NSNumber: id = n.stringValue
            default: throw SearchError.badLine(path: url.path, line: i + 1, reason: "\"id\" must be a string or a number")
            }
            out.append(CorpusEntry(id: id, text: text))
        }
        if out.isEmpty { throw SearchError.emptyCorpus(path: url.path) }
        return out
    }

    /// The index file of a corpus.
    public static func indexURL(for corpus: URL) -> URL {
        corpus.deletingLastPathComponent().appendingPathComponent(corpus.lastPathComponent + ".finch-index")
    }

    /// What an index was built from; a different key means rebuild.
    static func key(corpus: Data, modelDirectory: URL, maxLength: Int) throws -> String {
        var d = SHA256Digest()
        corpus.withUnsafeBytes { d.update($0) }
        let fm = FileManager.default
        for name in ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "modules.json", "1_Pooling/config.json"] {
            let url = modelDirectory.appendingPathComponent(name)
            guard fm.fileExists(atPath: url.path) else { continue }
            let attributes = try fm.attributesOfItem(atPath: url.path)
            d.update(
                "\(name):\((attributes[.size] as? NSNumber)?.intValue ?? -1):\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0);"
            )
        }
        d.update("max_length=\(maxLength)")
        return d.finalizeHex()
    }

    /// Where a corpus index came from, and whether it is on disk.
    public enum IndexOrigin: Equatable, Sendable {
        /// Read from the index file (its key matched the corpus and model).
        case loaded
        /// Built now and saved to the index file.
        case built
        /// Built now and held in memory only: the index file could not be
        /// written (a read-only folder, a full disk); `reason` says why.
        case builtNotSaved(reason: String)
    }

    /// The corpus's index: loaded when its key matches, else built and saved
    /// (atomically). `rebuilt` tells which. A failed save is an error here;
    /// `loadOrBuildIndex` answers from memory instead.
    public static func loadOrBuild(
        corpus: URL, modelDirectory: URL, embedder: TextEmbedder, batchSize: Int = 32,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    )
        throws -> (index: SemanticIndex, rebuilt: Bool)
    {
        let (index, origin) = try loadOrBuildIndex(
            corpus: corpus, modelDirectory: modelDirectory, embedder: embedder,
            batchSize: batchSize, progress: progress)
        if case .builtNotSaved(let reason) = origin { throw SearchError.unwritableIndex(path: indexURL(for: corpus).path, reason: reason) }
        return (index, origin != .loaded)
    }

    /// The corpus's index: loaded when its key matches, else built and saved
    /// (atomically). When the index file cannot be written the built index
    /// is still returned, with `.builtNotSaved` saying why; an index path
    /// that exists but cannot be read (a folder, no permission) is an error.
    public static func loadOrBuildIndex(
        corpus: URL, modelDirectory: URL, embedder: TextEmbedder, batchSize: Int = 32,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    )
        throws -> (index: SemanticIndex, origin: IndexOrigin)
    {
        let entries = try readCorpus(corpus)
        let key = try Self.key(corpus: Data(contentsOf: corpus), modelDirectory: modelDirectory, maxLength: embedder.maxLength)
        let file = indexURL(for: corpus)
        if let vectors = try read(file, key: key, count: entries.count, dimension: embedder.dimension) {
            return (SemanticIndex(entries: entries, unitVectors: vectors), .loaded)
        }
        let index = try SemanticIndex(entries: entries, embedder: embedder, batchSize: batchSize) { progress($0, entries.count) }
        do { try write(index.vectors, key: key, to: file) } catch SearchError.unwritableIndex(_, let reason) {
            return (index, .builtNotSaved(reason: reason))
        }
        return (index, .built)
    }

    // File layout: "FINCHIDX1\n", key (64 hex chars) "\n", count and dimension as
    // little-endian Int64, then count × dimension Float32 values.
    static let magic = Data("FINCHIDX1\n".utf8)

    static func read(_ url: URL, key: String, count: Int, dimension: Int) throws -> Tensor? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            throw SearchError.unreadableIndex(path: url.path, reason: "it is a folder; remove or rename it and the index is rebuilt")
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw SearchError.unreadableIndex(path: url.path, reason: systemReason(error))
        }
        let header = magic.count + 65 + 16
        guard data.count == header + count * dimension * 4, data.prefix(magic.count) == magic,
            String(decoding: data[magic.count..<(magic.count + 64)], as: UTF8.self) == key
        else { return nil }
        let (n, d) = data.withUnsafeBytes { raw in
            (
                Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: magic.count + 65, as: Int64.self))),
                Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: magic.count + 73, as: Int64.self)))
            )
        }
        guard n == count, d == dimension else { return nil }
        return Tensor(shape: [count, dimension]) { out in
            data.withUnsafeBytes { raw in
                _ = memcpy(out.baseAddress!, raw.baseAddress! + header, count * dimension * 4)
            }
        }
    }

    static func write(_ vectors: Tensor, key: String, to url: URL) throws {
        var data = magic
        data.append(Data((key + "\n").utf8))
        withUnsafeBytes(of: Int64(vectors.shape[0]).littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(vectors.shape[1]).littleEndian) { data.append(contentsOf: $0) }
        data.append(UnsafeBufferPointer(start: vectors.storage.pointer, count: vectors.count))
        do { try AtomicFile.write(data, to: url) } catch .cannotWrite(_, let reason) {
            throw SearchError.unwritableIndex(path: url.path, reason: reason)
        } catch {
            throw SearchError.unwritableIndex(path: url.path, reason: error.description)
        }
    }

    /// The operating system's reason behind a Foundation file error
    /// ("Permission denied"), else its description.
    static func systemReason(_ error: any Error) -> String {
        let ns = error as NSError
        switch ns.userInfo[NSUnderlyingErrorKey] {
        case let posix as POSIXError: return String(cString: strerror(posix.code.rawValue))
        case let underlying as NSError where underlying.domain == NSPOSIXErrorDomain:
            return String(cString: strerror(Int32(underlying.code)))
        default: break
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
