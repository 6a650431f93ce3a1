import FinchText

/// A word of the explained input and the token positions it covers.
struct TextWord: Equatable {
    /// The word as written.
    var text: String
    /// Unicode-scalar span in its text.
    var start: Int
    var end: Int
    /// 0 or 1 for a sentence pair, nil for a single text.
    var segment: Int?
    /// Its token positions in the model input.
    var positions: [Int]

    /// This word carrying `value`.
    func attribution(_ value: Double) -> WordAttribution {
        WordAttribution(word: text, start: start, end: end, attribution: value, segment: segment)
    }

    /// The pre-tokenizer words of an encoding, in input order: tokens are
    /// grouped by (sequence, word id); special tokens belong to none. A word's
    /// span runs from its first token's start to its last token's end.
    static func words(of encoding: Encoding, text: String, pair: String?) -> [TextWord] {
        let texts = [Array(text.unicodeScalars), Array((pair ?? "").unicodeScalars)]
        var out: [TextWord] = []
        var index: [[Int]: Int] = [:]
        for t in 0..<encoding.count where encoding.specialTokensMask[t] == 0 {
            let sequence = encoding.sequenceIDs[t] ?? 0
            let key = [sequence, encoding.wordIDs[t] ?? -1 - t]
            let span = encoding.offsets[t]
            if let i = index[key] {
                out[i].start = Swift.min(out[i].start, span.start)
                out[i].end = Swift.max(out[i].end, span.end)
                out[i].positions.append(t)
            } else {
                index[key] = out.count
                out.append(
                    TextWord(text: "", start: span.start, end: span.end, segment: pair == nil ? nil : sequence, positions: [t]))
            }
        }
        for i in out.indices {
            let scalars = texts[Swift.min(out[i].segment ?? 0, 1)]
            let lo = Swift.min(out[i].start, scalars.count), hi = Swift.min(Swift.max(out[i].end, lo), scalars.count)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[lo..<hi])
            out[i].text = String(view)
        }
        return out
    }
}

/// An entity a tagger predicted, by word.
struct TaggedEntity: Equatable {
    /// One word of the entity: its index among the text's words and its predicted tag id.
    struct Word: Equatable {
        var word: Int
        var tag: Int
    }
    /// The entity type (`PER`).
    var type: String
    /// Its words in order.
    var words: [Word]
    /// Mean probability of its word tags.
    var score: Double

    /// Groups word tags (IOB2; an I- without a matching B- starts an entity,
    /// as seqeval and `FineTunedModel.entities(in:)` do) into entities.
    static func group(_ tags: [(Int, Float)?], labels: LabelSet) -> [TaggedEntity] {
        var out: [TaggedEntity] = []
        var open: (entity: TaggedEntity, scores: [Float])? = nil
        func close() {
            if var o = open {
                o.entity.score = Double(o.scores.reduce(0, +) / Float(o.scores.count))
                out.append(o.entity)
            }
            open = nil
        }
        for (w, tag) in tags.enumerated() {
            guard let (id, p) = tag else {
                close()
                continue
            }
            let label = labels.label(for: id)
            guard label != "O", label.count > 2, label.dropFirst().first == "-" else {
                close()
                continue
            }
            let prefix = label.first!, type = String(label.dropFirst(2))
            if prefix == "I", var o = open, o.entity.type == type {
                o.entity.words.append(Word(word: w, tag: id))
                o.scores.append(p)
                open = o
            } else {
                close()
                open = (TaggedEntity(type: type, words: [Word(word: w, tag: id)], score: 0), [p])
            }
        }
        close()
        return out
    }
}
