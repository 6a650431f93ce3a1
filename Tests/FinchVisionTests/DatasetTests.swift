import FinchSupport
import FinchTensor
import FinchTestSupport
import FinchVision
import Foundation
import Testing

/// ImageFolder and CSV data sets, and batching into N×C×H×W tensors.
@Suite struct DatasetTests {
    static let tiny = TestSupport.fixtureURL("images/digits-tiny").path

    /// A temporary folder, removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-dataset-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func file(_ path: String, _ bytes: [UInt8]) throws {
            let target = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: target)
        }
        func copy(_ fixture: String, to path: String) throws {
            try file(path, [UInt8](Data(contentsOf: TestSupport.fixtureURL(fixture))))
        }
    }

    @Test func imageFolderLayout() throws {
        let data = try ImageDataset.load(Self.tiny + "/train")
        #expect(data.classes == ["0", "1", "7"])
        #expect(data.samples.count == 24)
        #expect(data.samples.map(\.label) == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8) + Array(repeating: 2, count: 8))
        // Files sorted within a class, as torchvision lists them.
        let zeros = data.samples.prefix(8).map(\.path)
        #expect(zeros == zeros.sorted())
        #expect(zeros[0].hasPrefix(Self.tiny + "/train/0/"))
    }

    @Test func classesSortLikePythonAndSubfoldersAndOtherFilesAreHandled() throws {
        let s = try Scratch()
        for name in ["b", "B", "ä", "a"] { try s.copy("images/gray8.png", to: "\(name)/x.png") }
        try s.copy("images/photo420.jpg", to: "a/deeper/y.JPG")
        try s.file("a/notes.txt", Array("not an image".utf8))
        let data = try ImageDataset.folder(s.url.path)
        // Python's sorted(): by code point, so "B" < "a" < "b" < "ä".
        #expect(data.classes == ["B", "a", "b", "ä"])
        let a = data.samples.filter { $0.label == 1 }.map { ($0.path as NSString).lastPathComponent }
        #expect(a == ["x.png", "y.JPG"])
    }

    @Test func knownClassesKeepTheModelsOrder() throws {
        let data = try ImageDataset.load(Self.tiny + "/dev", classes: ["7", "1", "0", "3"])
        #expect(data.classes == ["7", "1", "0", "3"])
        #expect(Set(data.samples.map(\.label)) == [0, 1, 2])
        #expect(throws: ImageDatasetError.unknownClass(file: Self.tiny + "/dev", line: nil, className: "7", known: ["0", "1"])) {
            try ImageDataset.load(Self.tiny + "/dev", classes: ["0", "1"])
        }
    }

    @Test func csvList() throws {
        let data = try ImageDataset.load(Self.tiny + "/dev.csv")
        #expect(data.classes == ["0", "1", "7"])
        #expect(data.samples.count == 12)
        #expect(data.samples[0].line == 2)
        #expect(data.samples[0].path == Self.tiny + "/dev/0/0078.png")
        #expect(FileManager.default.fileExists(atPath: data.samples[11].path))
    }

    @Test func badFolders() throws {
        let s = try Scratch()
        #expect(throws: ImageDatasetError.noClassFolders(directory: s.url.path)) { try ImageDataset.folder(s.url.path) }
        try s.copy("images/gray8.png", to: "cat/1.png")
        try s.file("dog/readme.txt", [65])
        #expect(throws: ImageDatasetError.emptyClass(directory: s.url.path, className: "dog")) { try ImageDataset.folder(s.url.path) }
        try FileManager.default.removeItem(at: s.url.appendingPathComponent("dog"))
        #expect(throws: ImageDatasetError.singleClass(path: s.url.path, className: "cat")) { try ImageDataset.folder(s.url.path) }
        #expect(throws: ImageDatasetError.notFound(path: s.url.path + "/nope")) { try ImageDataset.load(s.url.path + "/nope") }
    }

    @Test func badCSVLists() throws {
        let s = try Scratch()
        try s.file("a.csv", Array("file,label\nx.png,cat\n".utf8))
        #expect(throws: DataError.missingColumn(file: s.url.path + "/a.csv", line: 1, column: "path", found: ["file", "label"])) {
            try ImageDataset.csv(s.url.path + "/a.csv")
        }
        try s.file("b.csv", Array("path,label\nx.png,cat\ny.png,\n".utf8))
        #expect(throws: DataError.emptyLabel(file: s.url.path + "/b.csv", line: 3, field: "label")) {
            try ImageDataset.csv(s.url.path + "/b.csv")
        }
        try s.file("c.csv", Array("path,label\nx.png,cat\ny.png,dog\n".utf8))
        #expect(throws: ImageDatasetError.unknownClass(file: s.url.path + "/c.csv", line: 3, className: "dog", known: ["cat"])) {
            try ImageDataset.csv(s.url.path + "/c.csv", classes: ["cat"])
        }
    }

    @Test func badImageIsNamedWhenDecoding() throws {
        let s = try Scratch()
        try s.copy("images/gray8.png", to: "cat/1.png")
        try s.copy("images/bad-truncated.png", to: "dog/2.png")
        let data = try ImageDataset.folder(s.url.path)
        let preprocessing = ImagePreprocessing(colorMode: .gray, height: 5, width: 7, mean: [0.5], std: [0.5])
        do {
            _ = try data.decode(preprocessing)
            Issue.record("a truncated PNG was decoded")
        } catch {
            #expect(error.file == s.url.path + "/dog/2.png")
            #expect(error.description.hasPrefix(s.url.path + "/dog/2.png: corrupt image"))
        }
    }

    @Test func decodeResizeAndBatch() throws {
        let data = try ImageDataset.load(Self.tiny + "/dev")
        let preprocessing = ImagePreprocessing(colorMode: .gray, height: 12, width: 10, mean: [0.25], std: [0.5])
        let images = try data.decode(preprocessing)
        #expect(images.count == 12)
        #expect(images.allSatisfy { $0.shape == [1, 12, 10] })
        let batch = ImageBatch.stack(images.map { preprocessing.normalization($0) })
        #expect(batch.shape == [12, 1, 12, 10])
        // Sample 3's first pixel, scaled then normalised.
        let raw = try Image(contentsOfFile: data.samples[3].path, as: .gray)
        let expected = (Resize(height: 12, width: 10)(raw.tensor())[0, 0, 0] - 0.25) / 0.5
        #expect(batch[3, 0, 0, 0] == expected)
        // Native size: no resize, values are pixel / 255.
        let native = ImagePreprocessing(colorMode: .rgb, height: 8, width: 8, mean: [0, 0, 0], std: [1, 1, 1])
        let rgb = try data.decode(native)
        #expect(rgb[3].shape == [3, 8, 8])
        #expect(rgb[3][2, 4, 5] == Float(raw.pixels[4 * 8 + 5]) / 255)
    }
}
