import FinchApps
import Foundation

/// Monitor rows ↔ values, shared by the SQLite and PostgreSQL stores: the
/// JSON columns are the types' own encodings, written and read with one
/// encoder and decoder so that dates survive the round trip exactly.
enum MonitorColumns {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    static let decoder = JSONDecoder()

    static func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String, field: String) throws -> T {
        do { return try decoder.decode(T.self, from: Data(text.utf8)) } catch { throw StoreError.corruptRow(table: table, field: field) }
    }

    static func bucket(
        kind: String, name: String, start: Double, count: Int, negative: Int, neutral: Int, positive: Int, scoreSum: Double
    ) throws -> BucketAggregate {
        guard let kind = SeriesKind(rawValue: kind) else { throw StoreError.corruptRow(table: "monitor_buckets", field: "kind") }
        return BucketAggregate(
            key: BucketKey(kind: kind, name: name, start: Date(timeIntervalSince1970: start)), count: count, negative: negative,
            neutral: neutral, positive: positive, scoreSum: scoreSum)
    }

}
