import FinchTensor
import Foundation
import Synchronization

/// Sentence vectors of `texts` from the registry's embedder `model`, one row per text.
public typealias AssistantEmbedding = @Sendable (_ texts: [String], _ model: String) async throws -> [[Float]]

/// How a collection is imported.
public struct AssistantImportOptions: Sendable, Equatable {
    /// The embedder's name in the registry.
    public var model: String
    /// Written before every text and query.
    public var prefix: String
    /// The hand-off threshold; nil keeps `HandoffPolicy.defaultThreshold`.
    public var threshold: Double?
    /// Use the threshold the calibration suggests (`AssistantCalibration.suggestedThreshold`) instead.
    public var automaticThreshold: Bool
    /// The ambiguity margin; nil keeps `HandoffPolicy.defaultAmbiguityMargin`.
    public var ambiguityMargin: Double?

    /// Options for embedder `model`.
    public init(
        model: String, prefix: String = "", threshold: Double? = nil, automaticThreshold: Bool = false, ambiguityMargin: Double? = nil
    ) {
        self.model = model
        self.prefix = prefix
        self.threshold = threshold
        self.automaticThreshold = automaticThreshold
        self.ambiguityMargin = ambiguityMargin
    }
}

/// The served FAQ collections of the support assistant. Entries and their
/// vectors live in the store (a write returns after its commit); each
/// instance keeps a ready `FAQAssistant` per collection, replaced at every
/// change — entries embedded once, the confidence refitted on the new set —
/// so an edit answers at once without a restart, and rebuilt from the store
/// when its change stamp moves (writes by another instance).
public final class AssistantService: Sendable {
    /// One collection as served.
    public struct Served: Sendable {
        /// The stored record.
        public var record: AssistantCollectionRecord
        /// The entries with their vectors, in order.
        public var entries: [AssistantEntryRecord]
        /// The assistant built from them.
        public var assistant: FAQAssistant
    }

    let store: any AssistantRepository
    let embedding: AssistantEmbedding
    /// The gate every stored query passes.
    let storedText: StoredTextRedaction
    /// Asked, for asks that name a user, whether their query may be kept.
    let consent: (any ConsentLookup)?
    private let loaded = Mutex<[String: Served]>([:])
    /// Embedder name → the version `reembed(model:version:)` last re-embedded its collections with.
    private let reembeddedVersions = Mutex<[String: Int]>([:])
    private let stamp = Mutex<Int64>(-1)
    private let writes = AsyncLock()
    /// Stores asks, concurrent ones in one transaction.
    let recorder: AskRecorder
    /// Texts per embedding call (the model's queue refuses more than its capacity at once).
    static let embeddingBlock = 128

    /// A service over `store` embedding with `embedding`; `storedText` redacts stored queries,
    /// `consent` (when given) decides whether a named user's query is kept at all.
    public init(
        store: any AssistantRepository, embedding: @escaping AssistantEmbedding, storedText: StoredTextRedaction = .off,
        consent: (any ConsentLookup)? = nil
    ) {
        self.store = store
        self.embedding = embedding
        self.storedText = storedText
        self.consent = consent
        recorder = AskRecorder(store: store)
    }

    /// The embedding of a model registry: its active version of the named embedder, unit vectors.
    public static func registryEmbedding(_ registry: ModelRegistry) -> AssistantEmbedding {
        { texts, model in
            let served = try registry.model(named: model)
            return try await InferenceService.embed(texts, model: served, normalize: true).value
        }
    }

    // MARK: reading

    /// Rebuilds every collection from the store when its change stamp moved since the last read.
    public func reloadIfChanged() async throws {
        let current = try await store.assistantChangeStamp()
        if stamp.withLock({ $0 }) == current { return }
        try await reload()
    }

    /// Reads every collection and its entries from the store and builds their assistants
    /// (with the stored confidence models; nothing is embedded).
    public func reload() async throws {
        let current = try await store.assistantChangeStamp()
        var fresh: [String: Served] = [:]
        for record in try await store.assistantCollections() {
            let entries = try await store.assistantEntries(collection: record.name)
            fresh[record.name] = Served(
                record: record, entries: entries,
                assistant: Self.assistant(entries: entries, record: record, calibration: record.calibration))
        }
        loaded.withLock { $0 = fresh }
        stamp.withLock { $0 = current }
    }

    /// Every collection, by name.
    public func list() -> [Served] {
        loaded.withLock { $0.values.sorted { $0.record.name < $1.record.name } }
    }

    /// One collection as served now.
    public func collection(named name: String) throws(AssistantServiceError) -> Served {
        guard let served = loaded.withLock({ $0[name] }) else { throw .unknownCollection(name: name) }
        return served
    }

    // MARK: writing

    /// Imports `collection` as `name` (replacing a collection of that name): embeds every text,
    /// fits the confidence, stores it all in one transaction. `progress` is told texts embedded.
    @discardableResult
    public func importCollection(
        _ collection: FAQCollection, name: String, options: AssistantImportOptions,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Served {
        guard ModelRegistry.isValidName(name) else { throw AssistantServiceError.invalidName(name) }
        var settings = AssistantSettings()
        if let margin = options.ambiguityMargin { settings.handoff.ambiguityMargin = try Self.checkedMargin(margin) }
        if let threshold = options.threshold { settings.handoff.threshold = try Self.checkedThreshold(threshold) }
        let entries = try await embed(
            collection.entries, model: options.model, prefix: options.prefix, settings: settings, progress: progress)
        let dimension = Self.dimension(of: entries, settings: settings)
        let fitted = Self.assistant(entries: entries, settings: settings, dimension: dimension, calibration: nil)
        if options.automaticThreshold { settings.handoff.threshold = fitted.calibration.suggestedThreshold }
        let record = AssistantCollectionRecord(
            name: name, model: options.model, prefix: options.prefix, dimension: dimension, settings: settings,
            calibration: fitted.calibration, createdAt: Self.storableDate(Date()))
        let served = Served(record: record, entries: entries, assistant: fitted.with(policy: settings.handoff))
        try await writes.run {
            try await store.putAssistantCollection(record, entries: entries)
            loaded.withLock { $0[name] = served }
        }
        return served
    }

    /// Adds entries to a collection or replaces those with the same id (a replaced entry keeps
    /// its place), and refits the confidence; returns after the commit.
    @discardableResult
    public func upsert(_ entries: [FAQEntry], into name: String) async throws -> Served {
        let before = try collection(named: name).record
        // An id given twice keeps its last entry, as a bulk upsert does.
        var last: [String: Int] = [:]
        for (i, e) in entries.enumerated() { last[e.id] = i }
        let distinct = entries.indices.filter { last[entries[$0].id] == $0 }.map { entries[$0] }
        let embedded = try await embed(distinct, model: before.model, prefix: before.prefix, settings: before.settings)
        let d = Self.dimension(of: embedded, settings: before.settings)
        if d != before.dimension && before.dimension != 0 {
            throw AssistantServiceError.dimensionMismatch(collection: name, stored: before.dimension, model: d)
        }
        return try await change(name) { current in
            for e in embedded {
                if let i = current.firstIndex(where: { $0.entry.id == e.entry.id }) { current[i] = e } else { current.append(e) }
            }
            return (embedded, [])
        }
    }

    /// Removes one entry and refits the confidence; returns after the commit.
    @discardableResult
    public func deleteEntry(id: String, from name: String) async throws -> Served {
        try await change(name) { current in
            guard let i = current.firstIndex(where: { $0.entry.id == id }) else {
                throw AssistantServiceError.unknownEntry(collection: name, id: id)
            }
            current.remove(at: i)
            return ([], [id])
        }
    }

    /// Sets the collection's hand-off threshold and/or ambiguity margin (nil keeps one).
    @discardableResult
    public func setPolicy(threshold: Double?, ambiguityMargin: Double?, of name: String) async throws -> Served {
        let threshold = try threshold.map(Self.checkedThreshold)
        let margin = try ambiguityMargin.map(Self.checkedMargin)
        return try await writes.run {
            try await reloadIfChanged()
            var served = try collection(named: name)
            if let threshold { served.record.settings.handoff.threshold = threshold }
            if let margin { served.record.settings.handoff.ambiguityMargin = margin }
            guard try await store.updateAssistantCollection(served.record) else {
                throw AssistantServiceError.unknownCollection(name: name)
            }
            served.assistant = served.assistant.with(policy: served.record.settings.handoff)
            let result = served
            loaded.withLock { $0[name] = result }
            return result
        }
    }

    /// Re-embeds every collection served with embedder `model` with its active version (after a
    /// new version was activated: queries are embedded by the active version, so the entries must
    /// be too), refits each one's confidence and stores it; returns the collections' names. Asks
    /// keep being answered from each collection as it was until its re-embedded copy replaces it
    /// (nothing is taken down); other writes wait for it. With `version` (the version now active),
    /// a second call for the same version does nothing more (the retrainer and the registry's
    /// swap notice both ask for it).
    @discardableResult
    public func reembed(model: String, version: Int? = nil) async throws -> [String] {
        try await writes.run {
            try await reloadIfChanged()
            if let version, reembeddedVersions.withLock({ $0[model] }) == version {
                return list().filter { $0.record.model == model }.map(\.record.name)
            }
            var done: [String] = []
            for served in list() where served.record.model == model {
                let result = try await reembedded(served)
                try await storeReembedded(result)
                loaded.withLock { $0[result.record.name] = result }
                done.append(result.record.name)
            }
            if let version { reembeddedVersions.withLock { $0[model] = version } }
            return done
        }
    }

    /// Swaps in a new version of embedder `model` with its collections already re-embedded: every
    /// collection served with it is embedded with `embedding` (the new version's, not yet active)
    /// while the old version keeps answering, then `swap` makes the new version active and the
    /// re-embedded collections replace the old ones at once, and are stored. Other writes wait
    /// for it; a swap notice for the version it returns finds the work done. Returns the version
    /// `swap` registered and the collections re-embedded.
    public func reembed(
        model: String, with embedding: @escaping AssistantEmbedding, around swap: () async throws -> ModelVersionRecord
    ) async throws -> (record: ModelVersionRecord, collections: [String]) {
        try await writes.run {
            try await reloadIfChanged()
            var ready: [Served] = []
            for served in list() where served.record.model == model { ready.append(try await reembedded(served, with: embedding)) }
            let record = try await swap()
            loaded.withLock { all in for served in ready { all[served.record.name] = served } }
            reembeddedVersions.withLock { $0[model] = record.version }
            for served in ready { try await storeReembedded(served) }
            return (record, ready.map(\.record.name))
        }
    }

    /// `served` with every text embedded again (by `embedding`, else the service's) and its confidence refitted.
    private func reembedded(_ served: Served, with embedding: AssistantEmbedding? = nil) async throws -> Served {
        var served = served
        let embedded = try await embed(
            served.entries.map(\.entry), model: served.record.model, prefix: served.record.prefix, settings: served.record.settings,
            using: embedding)
        let d = Self.dimension(of: embedded, settings: served.record.settings)
        if d != served.record.dimension && served.record.dimension != 0 && !embedded.isEmpty {
            throw AssistantServiceError.dimensionMismatch(collection: served.record.name, stored: served.record.dimension, model: d)
        }
        served.entries = embedded
        served.assistant = Self.assistant(entries: embedded, record: served.record, calibration: nil)
        served.record.calibration = served.assistant.calibration
        return served
    }

    /// Stores a re-embedded collection: every entry with its new vectors, and the refitted confidence.
    private func storeReembedded(_ served: Served) async throws {
        guard try await store.changeAssistantEntries(served.record, upserting: served.entries, deleting: []) else {
            throw AssistantServiceError.unknownCollection(name: served.record.name)
        }
    }

    /// Re-embeds the collections whose stored vectors no longer come from the active version of
    /// their embedder (a version activated while no service ran to follow it, or a configured
    /// folder registered again at start): each collection's first question is embedded again and
    /// compared with its stored vector (unit vectors; a component apart by more than `tolerance`
    /// means another model). Returns the names of the collections re-embedded.
    @discardableResult
    public func reembedStaleCollections(tolerance: Float = 1e-3) async throws -> [String] {
        try await reloadIfChanged()
        var stale = Set<String>()
        for served in list() where !stale.contains(served.record.model) {
            guard let first = served.entries.first, served.record.dimension > 0 else { continue }
            let d = served.record.dimension
            let stored = Array(first.vectors.prefix(d))
            let fresh = try await embedding([served.record.prefix + first.entry.question], served.record.model).first ?? []
            if fresh.count != stored.count || zip(fresh, stored).contains(where: { Swift.abs($0 - $1) > tolerance }) {
                stale.insert(served.record.model)
            }
        }
        var done: [String] = []
        for model in stale.sorted() { done += try await reembed(model: model) }
        return done
    }

    /// Re-embeds the collections served with an embedder whenever the registry swaps in another
    /// version of it (an activation by an admin, by a retrain, or by another instance), in a task of
    /// its own; `failed` is told of a re-embedding that failed (the collection keeps its vectors).
    public func followVersionSwaps(of registry: ModelRegistry, failed: @escaping @Sendable (String, any Error) -> Void = { _, _ in }) {
        registry.onVersionSwap { [self] model in
            guard model.kind == .embedder else { return }
            let name = model.name, version = model.version
            Task {
                do { try await reembed(model: name, version: version) } catch { failed(name, error) }
            }
        }
    }

    /// Deletes a collection with its entries and asks.
    public func delete(name: String) async throws {
        try await writes.run {
            guard try await store.deleteAssistantCollection(name: name) else { throw AssistantServiceError.unknownCollection(name: name) }
            _ = loaded.withLock { $0.removeValue(forKey: name) }
        }
    }

    /// Applies `edit` to the newest entries of `name` (it returns what to store: entries upserted,
    /// ids deleted), refits the confidence on the result, stores both in one transaction.
    private func change(
        _ name: String, _ edit: (inout [AssistantEntryRecord]) throws -> (upserting: [AssistantEntryRecord], deleting: [String])
    ) async throws -> Served {
        try await writes.run {
            try await reloadIfChanged()
            var served = try collection(named: name)
            let (upserting, deleting) = try edit(&served.entries)
            if served.record.dimension == 0 {
                served.record.dimension = Self.dimension(of: served.entries, settings: served.record.settings)
            }
            served.assistant = Self.assistant(entries: served.entries, record: served.record, calibration: nil)
            served.record.calibration = served.assistant.calibration
            guard try await store.changeAssistantEntries(served.record, upserting: upserting, deleting: deleting) else {
                throw AssistantServiceError.unknownCollection(name: name)
            }
            let result = served
            loaded.withLock { $0[name] = result }
            return result
        }
    }

    // MARK: building

    /// Embeds the searchable texts of `entries` (in blocks) and groups the vectors by entry;
    /// `using` replaces the service's embedding.
    func embed(
        _ entries: [FAQEntry], model: String, prefix: String, settings: AssistantSettings,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }, using other: AssistantEmbedding? = nil
    ) async throws -> [AssistantEntryRecord] {
        let embedding = other ?? embedding
        let texts = FAQText.texts(of: FAQCollection(entries: entries), answers: settings.retrieval.indexAnswers)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = Swift.min(start + Self.embeddingBlock, texts.count)
            vectors += try await embedding(texts[start..<end].map { prefix + $0.text }, model)
            start = end
            progress(end, texts.count)
        }
        var rows = [[Float]](repeating: [], count: entries.count)
        for (t, text) in texts.enumerated() { rows[text.entry] += vectors[t] }
        return zip(entries, rows).map { AssistantEntryRecord(entry: $0.0, vectors: $0.1) }
    }

    static func textCount(of entry: FAQEntry, _ settings: AssistantSettings) -> Int {
        1 + entry.alternatives.count + (settings.retrieval.indexAnswers ? entry.answers.count : 0)
    }

    /// The vector width of embedded entries (0 for none).
    static func dimension(of entries: [AssistantEntryRecord], settings: AssistantSettings) -> Int {
        guard let first = entries.first else { return 0 }
        return first.vectors.count / textCount(of: first.entry, settings)
    }

    static func assistant(entries: [AssistantEntryRecord], record: AssistantCollectionRecord, calibration: AssistantCalibration?)
        -> FAQAssistant
    {
        assistant(entries: entries, settings: record.settings, dimension: record.dimension, calibration: calibration)
    }

    /// The assistant of stored entries; the confidence is fitted anew when `calibration` is nil.
    static func assistant(
        entries: [AssistantEntryRecord], settings: AssistantSettings, dimension: Int, calibration: AssistantCalibration?
    ) -> FAQAssistant {
        let collection = FAQCollection(entries: entries.map(\.entry))
        var rows: [Float] = []
        rows.reserveCapacity(entries.reduce(0) { $0 + $1.vectors.count })
        for e in entries { rows += e.vectors }
        let fitted =
            calibration
            ?? {
                let texts = FAQText.texts(of: collection, answers: settings.retrieval.indexAnswers)
                let dense = DenseFAQIndex(owners: texts.map(\.entry), entryCount: collection.count, rows: rows, dimension: dimension)
                return AssistantCalibrator.calibrate(
                    texts: texts, dense: dense, options: settings.retrieval, calibration: settings.calibration)
            }()
        return FAQAssistant(collection: collection, rows: rows, dimension: dimension, settings: settings, calibration: fitted)
    }

    /// `date` as the stores keep it (seconds since 1970 in a double), so a record read back equals the one written.
    static func storableDate(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970) }

    static func checkedThreshold(_ t: Double) throws -> Double {
        guard t.isFinite, (0...1).contains(t) else {
            throw AssistantServiceError.invalidSetting(field: "threshold", reason: "must be in 0...1")
        }
        return t
    }

    static func checkedMargin(_ m: Double) throws -> Double {
        guard m.isFinite, (-2...2).contains(m) else {
            throw AssistantServiceError.invalidSetting(field: "ambiguity_margin", reason: "must be in -2...2 (a difference of cosines)")
        }
        return m
    }
}
