import Foundation

/// TF-IDF features with the semantics of scikit-learn's `TfidfVectorizer`:
/// terms from `TextAnalyzer`, the vocabulary sorted by code points (Python's
/// string order), `min_df`/`max_df`/`max_features` pruning, then
///
///     tf      = count of the term in the document   (1 + ln(count) with sublinearTF)
///     idf     = ln((1 + n) / (1 + df)) + 1          (smooth; ln(n / df) + 1 without)
///     x       = tf · idf, each row scaled to unit L2 norm
///
/// Terms never seen in fitting are ignored at transform time; a document
/// with none of the vocabulary's terms is a zero row.
public struct TfidfVectorizer: Equatable, Sendable {
    /// The settings it was fitted with.
    public let configuration: TfidfConfiguration
    /// The terms; a term's column is its index (`get_feature_names_out()`).
    public let vocabulary: [String]
    /// Inverse document frequency per column (`idf_`).
    public let idf: [Double]
    private let columnOfTerm: [[UInt8]: Int32]

    /// A fitted vectorizer from its parts (as saved); `vocabulary` and `idf` have one entry per column.
    public init(configuration: TfidfConfiguration, vocabulary: [String], idf: [Double]) throws {
        guard vocabulary.count == idf.count, !vocabulary.isEmpty else {
            throw ClassicalError.invalidSetting(
                name: "vocabulary", reason: "needs one idf per term and at least one term (\(vocabulary.count) terms, \(idf.count) idf)")
        }
        var index: [[UInt8]: Int32] = [:]
        index.reserveCapacity(vocabulary.count)
        for (i, term) in vocabulary.enumerated() {
            guard index.updateValue(Int32(i), forKey: Array(term.utf8)) == nil else {
                throw ClassicalError.invalidSetting(name: "vocabulary", reason: "the term '\(term)' appears twice")
            }
        }
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.idf = idf
        self.columnOfTerm = index
    }

    /// Number of columns of the features.
    public var featureCount: Int { vocabulary.count }

    /// Equal settings, vocabulary and idf.
    public static func == (a: TfidfVectorizer, b: TfidfVectorizer) -> Bool {
        a.configuration == b.configuration && a.vocabulary == b.vocabulary && a.idf == b.idf
    }

    /// Fits on `documents` and returns the vectorizer with the documents' features (`fit_transform`).
    public static func fitTransform(
        _ documents: [String], configuration: TfidfConfiguration = TfidfConfiguration()
    ) throws -> (vectorizer: TfidfVectorizer, features: SparseMatrix) {
        try configuration.validate()
        let range = configuration.ngramMin...configuration.ngramMax
        // Count with provisional ids in order of first appearance.
        var ids: [[UInt8]: Int] = [:]
        var terms: [[UInt8]] = []
        var rows: [[(Int, Int)]] = []
        rows.reserveCapacity(documents.count)
        for document in documents {
            var counts: [Int: Int] = [:]
            for term in configuration.analyzer.terms(document, ngramRange: range) {
                let id: Int
                if let known = ids[term] {
                    id = known
                } else {
                    id = terms.count
                    ids[term] = id
                    terms.append(term)
                }
                counts[id, default: 0] += 1
            }
            rows.append(counts.map { ($0.key, $0.value) })
        }
        guard !terms.isEmpty else {
            throw ClassicalError.emptyVocabulary(reason: "no document has a term; the documents may be empty or hold only punctuation")
        }
        var df = [Int](repeating: 0, count: terms.count), total = [Int](repeating: 0, count: terms.count)
        for row in rows {
            for (id, c) in row {
                df[id] += 1
                total[id] += c
            }
        }
        let kept = try keptTerms(terms: terms, df: df, total: total, documentCount: documents.count, configuration: configuration)
        var column = [Int](repeating: -1, count: terms.count)
        for (c, id) in kept.enumerated() { column[id] = c }
        let n = Double(documents.count) + (configuration.smoothIDF ? 1 : 0)
        let idf = kept.map { id in Foundation.log(n / (Double(df[id]) + (configuration.smoothIDF ? 1 : 0))) + 1 }
        let vectorizer = try TfidfVectorizer(
            configuration: configuration, vocabulary: kept.map { String(decoding: terms[$0], as: UTF8.self) }, idf: idf)
        let features = vectorizer.weighted(
            rows.map { row in row.compactMap { (id, count) -> (Int, Int)? in column[id] >= 0 ? (column[id], count) : nil } })
        return (vectorizer, features)
    }

    /// Fits on `documents` (`fit`).
    public static func fit(_ documents: [String], configuration: TfidfConfiguration = TfidfConfiguration()) throws -> TfidfVectorizer {
        try fitTransform(documents, configuration: configuration).vectorizer
    }

    /// The TF-IDF rows of `documents` (`transform`).
    public func transform(_ documents: [String]) -> SparseMatrix {
        let range = configuration.ngramMin...configuration.ngramMax
        return weighted(
            documents.map { document in
                var counts: [Int: Int] = [:]
                for term in configuration.analyzer.terms(document, ngramRange: range) {
                    if let c = columnOfTerm[term] { counts[Int(c), default: 0] += 1 }
                }
                return counts.map { ($0.key, $0.value) }
            })
    }

    /// The terms kept after `max_df`, `min_df` and `max_features`, as
    /// provisional ids in vocabulary (code point) order.
    static func keptTerms(
        terms: [[UInt8]], df: [Int], total: [Int], documentCount: Int, configuration c: TfidfConfiguration
    ) throws -> [Int] {
        let high = c.maxDF.documents(of: documentCount), low = c.minDF.documents(of: documentCount)
        guard high >= low else {
            throw ClassicalError.invalidSetting(
                name: "max_df",
                reason: "corresponds to fewer documents (\(String(format: "%g", high))) than min_df (\(String(format: "%g", low)))")
        }
        var kept = terms.indices.sorted { terms[$0].lexicographicallyPrecedes(terms[$1]) }
            .filter { Double(df[$0]) <= high && Double(df[$0]) >= low }
        if let limit = c.maxFeatures, kept.count > limit {
            // The most frequent over the corpus; equal totals keep the earlier term.
            let order = kept.indices.sorted { a, b in
                total[kept[a]] != total[kept[b]] ? total[kept[a]] > total[kept[b]] : a < b
            }
            kept = order.prefix(limit).sorted().map { kept[$0] }
        }
        guard !kept.isEmpty else {
            throw ClassicalError.emptyVocabulary(reason: "after pruning no terms remain; try a lower min_df or a higher max_df")
        }
        return kept
    }

    /// Rows of (column, count) pairs → CSR of tf · idf, L2-normalized.
    func weighted(_ rows: [[(Int, Int)]]) -> SparseMatrix {
        var starts = [0], columns: [Int32] = [], values: [Double] = []
        starts.reserveCapacity(rows.count + 1)
        for row in rows {
            let sorted = row.sorted { $0.0 < $1.0 }
            let begin = values.count
            for (column, count) in sorted {
                let tf = configuration.sublinearTF ? Foundation.log(Double(count)) + 1 : Double(count)
                columns.append(Int32(column))
                values.append(tf * idf[column])
            }
            if configuration.normalize {
                var sum = 0.0
                for k in begin..<values.count { sum += values[k] * values[k] }
                if sum > 0 {
                    let norm = sum.squareRoot()
                    for k in begin..<values.count { values[k] /= norm }
                }
            }
            starts.append(values.count)
        }
        return SparseMatrix(rowCount: rows.count, columnCount: vocabulary.count, rowStarts: starts, columns: columns, values: values)
    }
}

extension TfidfVectorizer: Codable {
    private enum CodingKeys: String, CodingKey { case configuration, vocabulary, idf }

    /// Reads settings, vocabulary and idf; fails on repeated terms or a length mismatch.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                configuration: c.decode(TfidfConfiguration.self, forKey: .configuration),
                vocabulary: c.decode([String].self, forKey: .vocabulary), idf: c.decode([Double].self, forKey: .idf))
        } catch let error as ClassicalError {
            throw DecodingError.dataCorruptedError(forKey: .vocabulary, in: c, debugDescription: error.description)
        }
    }

    /// Writes settings, vocabulary and idf.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(vocabulary, forKey: .vocabulary)
        try c.encode(idf, forKey: .idf)
    }
}
