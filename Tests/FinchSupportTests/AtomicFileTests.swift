import FinchSupport
import Foundation
import Testing

@Suite struct AtomicFileTests {
    struct Stop: Error {}

    @Test func replacesTheFileAndLeavesNoTemporary() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("a.txt")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new")
        #expect(try folder.names() == ["a.txt"])
    }

    @Test func aFailingWriterLeavesTheOldFileUntouched() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("a.txt")
        try AtomicFile.write(Data("old".utf8), to: url)
        #expect(throws: Stop.self) {
            try AtomicFile.write(to: url) { output in
                try output.write("half")
                throw Stop()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try folder.names() == ["a.txt"])
    }

    @Test func aMissingFolderIsACannotWriteNamingThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-finch-dir/a.txt")
        #expect(throws: FileWriteError.cannotWrite(path: url.path, reason: "No such file or directory")) {
            try AtomicFile.write(Data("x".utf8), to: url)
        }
    }
}

@Suite struct AtomicDirectoryTests {
    struct Stop: Error {}

    @Test func swapsInTheNewContentAndRemovesTheOld() throws {
        let folder = try TemporaryFolder()
        let dir = folder.url.appendingPathComponent("ckpt")
        try AtomicDirectory.replace(dir) { try Data("1".utf8).write(to: $0.appendingPathComponent("old.bin")) }
        try AtomicDirectory.replace(dir) { try Data("2".utf8).write(to: $0.appendingPathComponent("new.bin")) }
        #expect(try folder.names(in: dir) == ["new.bin"])
        #expect(try folder.names() == ["ckpt"])
    }

    @Test func aFailingBuildLeavesTheOldDirectory() throws {
        let folder = try TemporaryFolder()
        let dir = folder.url.appendingPathComponent("ckpt")
        try AtomicDirectory.replace(dir) { try Data("1".utf8).write(to: $0.appendingPathComponent("keep.bin")) }
        #expect(throws: Stop.self) {
            try AtomicDirectory.replace(dir) {
                try Data("2".utf8).write(to: $0.appendingPathComponent("partial.bin"))
                throw Stop()
            }
        }
        #expect(try folder.names(in: dir) == ["keep.bin"])
        #expect(try folder.names() == ["ckpt"])
    }
}

@Suite struct OutputFolderLockTests {
    @Test func aSecondWriterIsRefusedWithTheFolderNamed() throws {
        let folder = try TemporaryFolder()
        let out = folder.url.appendingPathComponent("model")
        let first = try OutputFolderLock(out)
        #expect(first.folder == out)
        #expect(throws: FileWriteError.folderLocked(folder: out.path)) { _ = try OutputFolderLock(out) }
        let message = FileWriteError.folderLocked(folder: out.path).description
        #expect(message.hasPrefix(out.path + ": another Finch process is writing to this folder"))
        _ = first
    }

    @Test func theLockIsReleasedWhenFreed() throws {
        let folder = try TemporaryFolder()
        do { _ = try OutputFolderLock(folder.url) }
        let again = try OutputFolderLock(folder.url)
        #expect(try folder.names().contains(OutputFolderLock.fileName))
        _ = again
    }

    @Test func aFolderThatCannotBeCreatedIsNamedWithTheSystemsReason() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("plain", Array("x".utf8))
        let inside = file.appendingPathComponent("model")
        #expect(throws: FileWriteError.cannotWrite(path: inside.path, reason: "Not a directory")) { _ = try OutputFolderLock(inside) }
        #expect(throws: FileWriteError.cannotWrite(path: inside.path, reason: "Not a directory")) {
            try AtomicDirectory.replace(inside) { _ in }
        }
    }
}
