/// The WordPiece model of BERT: each word is cut greedily into the longest
/// vocabulary pieces from the left; pieces after the first carry the
/// continuing-subword prefix (`##`). A word with a part no piece covers, or
/// longer than `maxInputCharactersPerWord` scalars, becomes the unknown
/// token as a whole (`tokenizers`' `WordPiece::tokenize`).
///
/// Longest match is found with tries instead of `tokenizers`' shrinking
/// substring lookups; both find the longest vocabulary entry starting at the
/// current position, so the pieces are the same.
struct WordPieceModel: Sendable {
    /// Token string → id.
    public let vocabulary: [String: Int]
    /// The unknown token (`[UNK]`).
    public let unknownToken: String
    /// Prefix of pieces that continue a word (`##`).
    public let continuingSubwordPrefix: String
    /// Words with more scalars than this become the unknown token.
    public let maxInputCharactersPerWord: Int

    let unknownID: Int
    /// id → token string, for ids in 0..<count; empty where no token has the id.
    let tokensByID: [String]
    /// All vocabulary entries.
    let wordStartTrie: ScalarTrie
    /// Entries that start with the prefix, keyed without it.
    let continuationTrie: ScalarTrie

    /// Builds the model; throws when the unknown token is not in `vocabulary`.
    public init(
        vocabulary: [String: Int], unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
        maxInputCharactersPerWord: Int = 100
    ) throws {
        guard let unknownID = vocabulary[unknownToken] else {
            throw TokenizerError.missingToken(token: unknownToken, role: "WordPiece unk_token")
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        self.unknownID = unknownID
        let maxID = vocabulary.values.max() ?? -1
        // Ids index a table: reject negative or absurdly sparse ones instead of trapping.
        if let bad = vocabulary.first(where: { $0.value < 0 || $0.value >= 16 * vocabulary.count + 1024 }) {
            throw TokenizerError.invalidConfiguration(
                field: "model.vocab", reason: "id \(bad.value) of `\(bad.key)` is outside 0..<\(16 * vocabulary.count + 1024)")
        }
        var tokensByID = [String](repeating: "", count: maxID + 1)
        var keys: [[UInt32]] = []
        var ids: [Int] = []
        var continuationKeys: [[UInt32]] = []
        var continuationIDs: [Int] = []
        keys.reserveCapacity(vocabulary.count)
        ids.reserveCapacity(vocabulary.count)
        let prefix = Array(continuingSubwordPrefix.unicodeScalars.map(\.value))
        // Sorted by id so that the trie's "later key wins" never depends on hash order.
        for (token, id) in vocabulary.sorted(by: { $0.value < $1.value }) {
            tokensByID[id] = token
            let scalars = token.unicodeScalars.map(\.value)
            keys.append(scalars)
            ids.append(id)
            if !prefix.isEmpty, scalars.count > prefix.count, Array(scalars[0..<prefix.count]) == prefix {
                continuationKeys.append(Array(scalars[prefix.count...]))
                continuationIDs.append(id)
            }
        }
        self.tokensByID = tokensByID
        self.wordStartTrie = ScalarTrie(keys: keys, values: ids)
        self.continuationTrie = ScalarTrie(keys: continuationKeys, values: continuationIDs)
    }

    /// The token string of `id`, if the vocabulary has one.
    public func token(for id: Int) -> String? {
        id >= 0 && id < tokensByID.count && !tokensByID[id].isEmpty ? tokensByID[id] : nil
    }

    /// Tokenizes one word (`text`, a pre-tokenizer split); appends
    /// `(id, start, end)` triples (scalar offsets within the word) to `output`.
    func tokenize(_ text: UnsafeBufferPointer<UInt32>, into output: inout [ModelToken]) {
        let n = text.count
        if n == 0 { return }
        if n > maxInputCharactersPerWord {
            output.append(ModelToken(id: unknownID, start: 0, end: n))
            return
        }
        let mark = output.count
        var start = 0
        while start < n {
            let trie = start == 0 ? wordStartTrie : continuationTrie
            guard let match = trie.longestPrefix(of: text, from: start, to: n) else {
                output.removeSubrange(mark...)
                output.append(ModelToken(id: unknownID, start: 0, end: n))
                return
            }
            output.append(ModelToken(id: match.value, start: start, end: match.end))
            start = match.end
        }
    }
}

/// A token found by a model inside one split: its id and its scalar range
/// in the split. `text` is set only when the token's string is not the
/// vocabulary entry of `id` (Unigram's merged unknown pieces).
struct ModelToken {
    var id: Int
    var start: Int
    var end: Int
    var text: String? = nil
}
