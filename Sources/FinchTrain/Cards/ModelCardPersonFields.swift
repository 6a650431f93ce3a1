import Foundation

/// The fields of a model card that only a person can write. Each sits
/// between `<!-- person: ID -->` and `<!-- /person -->` (HTML comments, so
/// they do not show on the Hub); a new card holds the marker
/// `[to be written: …]` there. When Finch writes a card over an existing one,
/// what a person wrote between the markers is kept, field by field; the rest
/// of the card is regenerated from the model folder.
public enum ModelCardPersonFields {
    /// The closing marker.
    public static let close = "<!-- /person -->"

    /// The line at the end of every card that says how editing works.
    public static let footer =
        "<!-- Written by Finch. Text between `person:` markers is kept when the card is written again (`finch card`, "
        + "a new training run); everything else is regenerated from the model folder. -->\n"

    /// The opening marker of field `id`.
    public static func open(_ id: String) -> String { "<!-- person: \(id) -->" }

    /// A field `id` holding the to-be-written marker for `what`.
    public static func field(_ id: String, _ what: String) -> String { open(id) + ModelCard.toBeWritten(what) + close }

    /// The fields of `text` (id → what stands between the markers), in no particular order.
    public static func fields(in text: String) -> [String: String] {
        var found: [String: String] = [:]
        var rest = text[...]
        while let start = rest.range(of: "<!-- person: ") {
            guard let idEnd = rest[start.upperBound...].range(of: " -->"),
                let end = rest[idEnd.upperBound...].range(of: close)
            else { break }
            let id = String(rest[start.upperBound..<idEnd.lowerBound])
            found[id] = String(rest[idEnd.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// `card` with the fields a person filled in `previous` (those not
    /// starting with the to-be-written marker) put back; returns the text and
    /// the ids of the fields kept.
    public static func keep(_ previous: [String: String], in card: String) -> (text: String, kept: [String]) {
        var text = card
        var kept: [String] = []
        for id in previous.keys.sorted() {
            let value = previous[id]!
            guard !value.hasPrefix("[to be written:") else { continue }
            let marker = open(id)
            guard let start = text.range(of: marker), let end = text[start.upperBound...].range(of: close) else { continue }
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: value)
            kept.append(id)
        }
        return (text, kept)
    }
}
