/// The Unigram (SentencePiece) model: a vocabulary of pieces with log
/// probabilities; a text is cut into the pieces whose scores sum highest
/// (Viterbi over all segmentations, Kudo 2018).
///
/// Follows `tokenizers`' `Unigram::encode_optimized`: scores are `Double`
/// and summed in the same order, candidates ending at the same position are
/// compared with a strict `>` in order of start then length, a scalar no
/// piece of length one covers may be the unknown piece with score
/// `min(scores) - 10`, and adjacent unknown pieces are merged into one token
/// (whose string is the text it covers). With `byteFallback`, an unknown
/// token becomes one `<0xXX>` piece per UTF-8 byte when all exist.
struct UnigramModel: Sendable {
    /// Pieces in id order.
    public let pieces: [String]
    /// Score (log probability) of each piece.
    public let scores: [Double]
    /// Id of the unknown piece.
    public let unknownID: Int
    /// Whether unknown text falls back to byte pieces `<0xXX>`.
    public let byteFallback: Bool

    let pieceIDs: [String: Int]
    let trie: ScalarTrie
    let unknownScore: Double

    /// Builds the model; throws when `unknownID` is outside the vocabulary.
    public init(pieces: [String], scores: [Double], unknownID: Int, byteFallback: Bool = false) throws {
        precondition(pieces.count == scores.count, "one score per piece")
        guard unknownID >= 0 && unknownID < pieces.count else {
            throw TokenizerError.invalidConfiguration(
                field: "model.unk_id", reason: "\(unknownID) is outside the vocabulary of \(pieces.count) pieces")
        }
        self.pieces = pieces
        self.scores = scores
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        var ids: [String: Int] = [:]
        ids.reserveCapacity(pieces.count)
        var keys: [[UInt32]] = []
        keys.reserveCapacity(pieces.count)
        for (id, piece) in pieces.enumerated() {
            ids[piece] = id
            keys.append(piece.unicodeScalars.map(\.value))
        }
        self.pieceIDs = ids
        self.trie = ScalarTrie(keys: keys, values: Array(pieces.indices))
        self.unknownScore = (scores.min() ?? 0) - 10
    }

    /// Tokenizes one split; appends its tokens to `output`.
    func tokenize(_ text: UnsafeBufferPointer<UInt32>, into output: inout [ModelToken]) {
        let n = text.count
        if n == 0 { return }
        // best[i]: best path over text[0..<i]; from[i] its last piece's start (-1: none yet).
        var bestScore = [Double](repeating: 0, count: n + 1)
        var from = [Int](repeating: -1, count: n + 1)
        var pieceAt = [Int](repeating: 0, count: n + 1)
        bestScore.withUnsafeMutableBufferPointer { best in
            from.withUnsafeMutableBufferPointer { from in
                pieceAt.withUnsafeMutableBufferPointer { pieceAt in
                    scores.withUnsafeBufferPointer { scores in
                        for start in 0..<n {
                            let scoreHere = best[start]
                            var hasSingle = false
                            trie.forEachPrefix(of: text, from: start) { end, id in
                                let candidate = scores[id] + scoreHere
                                if from[end] < 0 || candidate > best[end] {
                                    best[end] = candidate
                                    from[end] = start
                                    pieceAt[end] = id
                                }
                                if end == start + 1 { hasSingle = true }
                            }
                            if !hasSingle {
                                let candidate = unknownScore + scoreHere
                                if from[start + 1] < 0 || candidate > best[start + 1] {
                                    best[start + 1] = candidate
                                    from[start + 1] = start
                                    pieceAt[start + 1] = unknownID
                                }
                            }
                        }
                    }
                }
            }
        }
        // Walk back, merging runs of unknown pieces.
        var path: [ModelToken] = []
        var end = n
        var unknownEnd = -1
        while end > 0 {
            let start = from[end]
            let id = pieceAt[end]
            if id == unknownID {
                if unknownEnd < 0 { unknownEnd = end }
            } else {
                if unknownEnd >= 0 {
                    path.append(ModelToken(id: unknownID, start: end, end: unknownEnd))
                    unknownEnd = -1
                }
                path.append(ModelToken(id: id, start: start, end: end))
            }
            end = start
        }
        if unknownEnd >= 0 { path.append(ModelToken(id: unknownID, start: 0, end: unknownEnd)) }
        for token in path.reversed() {
            if token.id == unknownID {
                appendUnknown(text, token.start, token.end, into: &output)
            } else {
                output.append(token)
            }
        }
    }

    /// An unknown stretch: its own id if the merged text happens to be a
    /// piece, else byte pieces (with `byteFallback`), else the unknown id.
    private func appendUnknown(
        _ text: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, into output: inout [ModelToken]
    ) {
        var string = String.UnicodeScalarView()
        for i in start..<end { string.append(Unicode.Scalar(text[i]) ?? "\u{FFFD}") }
        let value = String(string)
        if let id = pieceIDs[value] {
            output.append(ModelToken(id: id, start: start, end: end))
            return
        }
        if byteFallback {
            var bytes: [Int] = []
            for byte in value.utf8 {
                guard let id = pieceIDs[Self.bytePiece(byte)] else {
                    bytes.removeAll()
                    break
                }
                bytes.append(id)
            }
            if !bytes.isEmpty {
                for id in bytes { output.append(ModelToken(id: id, start: start, end: end)) }
                return
            }
        }
        output.append(ModelToken(id: unknownID, start: start, end: end, text: value))
    }

    /// The byte-fallback piece of `byte`: `<0xAB>`.
    static func bytePiece(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }
}
