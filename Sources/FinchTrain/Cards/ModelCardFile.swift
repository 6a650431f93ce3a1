import FinchSupport
import Foundation

/// What writing a model card did.
public struct ModelCardOutcome: Sendable, Equatable {
    /// The card written (`README.md` in the model folder).
    public var url: URL
    /// The person fields kept from the card it replaced (ids, sorted).
    public var keptFields: [String]
    /// Where a `README.md` that Finch did not write was moved (`README.previous.md`), nil when none was.
    public var previousCard: URL?
}

/// Writes a card as `README.md` without losing what a person wrote: the
/// person fields of a Finch card already there are carried over
/// (`ModelCardPersonFields`); a `README.md` without Finch's markers (written
/// by hand, or downloaded with the model) is moved to `README.previous.md`
/// first. The write is atomic.
public enum ModelCardFile {
    /// The card's file name.
    public static let fileName = "README.md"
    /// Where a README.md that is not a Finch card goes.
    public static let previousFileName = "README.previous.md"

    /// Writes `card` into `directory`.
    public static func write(_ card: String, to directory: URL) throws -> ModelCardOutcome {
        let url = directory.appendingPathComponent(fileName)
        var text = card
        var kept: [String] = []
        var previousCard: URL? = nil
        if let data = FileManager.default.contents(atPath: url.path) {
            let old = String(decoding: data, as: UTF8.self)
            if old.contains(ModelCardPersonFields.footer) || old.contains("<!-- person: ") {
                (text, kept) = ModelCardPersonFields.keep(ModelCardPersonFields.fields(in: old), in: card)
            } else if old != card {
                let previous = directory.appendingPathComponent(previousFileName)
                try AtomicFile.write(data, to: previous)
                previousCard = previous
            }
        }
        try AtomicFile.write(Data(text.utf8), to: url)
        return ModelCardOutcome(url: url, keptFields: kept, previousCard: previousCard)
    }
}
