import FinchNN
import Foundation
import PropertyBased
import Testing

/// The safetensors reader on arbitrary bytes: a `SafetensorsError`, never a
/// crash or a read outside the file.
@Suite struct SafetensorsPropertyTests {
    @Test func arbitraryBytesAreAnErrorOrAFile() async throws {
        await propertyCheck(count: 300, input: PropertyInputs.bytes) { bytes in
            let url = try PropertyInputs.file(Data(bytes), name: "random.safetensors")
            Self.openAndReadEverything(url)
        }
    }

    /// Headers that are valid JSON with a correct length prefix, whose
    /// fields are random: dtypes, shapes (negative, huge, empty) and offsets
    /// (reversed, overlapping, past the end). The checks must reject every
    /// one that does not fit, before any tensor byte is read.
    @Test func randomHeadersAreCheckedBeforeAnyRead() async throws {
        let dtypes = ["F32", "F16", "BF16", "I64", "I32", "U8", "BOOL", "F64", "X9", ""]
        let numbers: [Int64] = [0, 1, 2, 3, 4, 7, 8, 16, 64, -1, -8, 1 << 31, 1 << 40, Int64.max, Int64.min]
        let field = Gen.uint32(in: 0...UInt32.max).array(of: 1...12)
        await propertyCheck(count: 300, input: field, PropertyInputs.bytes) { picks, payload in
            var pick = picks.makeIterator()
            func next() -> Int { Int(pick.next() ?? 0) }
            let tensorCount = next() % 3
            var entries: [String] = []
            for t in 0..<tensorCount {
                let dtype = dtypes[next() % dtypes.count]
                let shape = (0..<(next() % 3)).map { _ in numbers[next() % numbers.count] }
                let begin = numbers[next() % numbers.count], end = numbers[next() % numbers.count]
                entries.append(
                    "\"t\(t)\": {\"dtype\": \"\(dtype)\", \"shape\": \(shape), \"data_offsets\": [\(begin), \(end)]}")
            }
            if next() % 2 == 0 { entries.append("\"__metadata__\": {\"format\": \"pt\"}") }
            let header = Array("{\(entries.joined(separator: ", "))}".utf8)
            var file = Data()
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
            file.append(contentsOf: header)
            file.append(contentsOf: payload)
            Self.openAndReadEverything(try PropertyInputs.file(file, name: "header.safetensors"))
        }
    }

    /// Opens the file and reads every tensor it lists; errors must be
    /// `SafetensorsError`s (a trap ends the test run, which is the failure).
    static func openAndReadEverything(_ url: URL) {
        do {
            let file = try SafetensorsFile(contentsOf: url)
            for name in file.names {
                let info = try #require(file.info(name))
                #expect(info.dataOffsets.lowerBound >= 0 && info.dataOffsets.upperBound >= info.dataOffsets.lowerBound)
                do { _ = try file.tensor(named: name) } catch { #expect(error is SafetensorsError, "\(error)") }
            }
        } catch {
            #expect(error is SafetensorsError, "\(type(of: error)): \(error)")
        }
    }
}
