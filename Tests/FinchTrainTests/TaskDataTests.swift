import FinchSupport
import Foundation
import Testing

@testable import FinchTrain

@Suite struct TaskDataTests {
    @Test func heldOutDevelopmentPartWhenNoDevFile() throws {
        let url = dataFixture("rotten_tomatoes_slice.csv")
        let data = try TaskData<ClassificationExample>.load(train: url, dev: nil, seed: 42, stratify: true)
        #expect(data.dev.count == 4)  // ceil(10 % of 40)
        #expect(data.train.count == 36)
        #expect(data.labels.labels == LabelSet(examples: data.train).labels)
        #expect(data.devSource == .heldOut(trainingFile: url.relativePath, fraction: 0.1, seed: 42, count: 4))
        #expect(
            data.devSource.summary
                == "dev: 4 examples (10 % of \(url.relativePath), seed 42) held out from training; no development file given")
        let again = try TaskData<ClassificationExample>.load(train: url, dev: nil, seed: 42, stratify: true)
        #expect(again.dev == data.dev)
    }

    @Test func devFileIsCheckedAgainstTrainingLabels() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let train = try files.write("train.csv", "text,label\na,pos\nb,neg\n")
        let dev = try files.write("dev.csv", "text,label\nc,neg\n")
        let data = try TaskData<ClassificationExample>.load(train: train, dev: dev)
        #expect(data.dev.map(\.text) == ["c"])
        #expect(data.labels.labels == ["neg", "pos"])
        #expect(data.devSource.summary == "dev: \(dev.relativePath)")
        let bad = try files.write("bad.csv", "text,label\nc,neutral\n")
        #expect(throws: DataError.unknownLabel(file: bad.relativePath, line: 2, label: "neutral", known: ["neg", "pos"])) {
            try TaskData<ClassificationExample>.load(train: train, dev: bad)
        }
    }

    @Test func nerHoldOut() throws {
        let data = try TaskData<TaggedSentence>.load(train: dataFixture("msra_slice.bio"), dev: nil, seed: 7)
        #expect(data.dev.count == 4 && data.train.count == 36)
        #expect(data.labels.labels.contains("O"))
        #expect(data.labels.labels == data.labels.labels.sorted())
    }
}

@Suite struct UTF8ValidationTests {
    @Test func agreesWithTheStandardLibrary() {
        let cases: [[UInt8]] = [
            [], Array("plain".utf8), Array("中文 éé 🙂".utf8),
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],  // overlong
            [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],  // surrogate, last before surrogates
            [0xF4, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // above U+10FFFF, U+10FFFF
            [0xE4, 0xB8], [0x80], [0xFF], [0x61, 0xC3], [0xC3, 0x28],  // truncated, stray, invalid
        ]
        for bytes in cases {
            let reference = String(validating: bytes, as: UTF8.self)
            let ours = bytes.withUnsafeBufferPointer { decodeUTF8($0) }
            #expect(ours == reference, "\(bytes)")
        }
        // Every 2-byte sequence.
        var disagreements = 0
        for a in 0...255 {
            for b in 0...255 {
                let bytes: [UInt8] = [UInt8(a), UInt8(b)]
                if bytes.withUnsafeBufferPointer(isValidUTF8) != (String(validating: bytes, as: UTF8.self) != nil) {
                    disagreements += 1
                }
            }
        }
        #expect(disagreements == 0)
    }
}
