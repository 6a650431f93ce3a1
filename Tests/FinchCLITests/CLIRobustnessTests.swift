import Foundation
import Testing

@testable import finch

/// Regression tests for what a bad-input probe of tokenize, embed, search and
/// demo found (issue 10 items 4, 5, 6, 11, 12): each asserts the exit status,
/// the message, and that no file was created, changed or deleted.
@Suite struct CLIRobustnessTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// A tiny BERT with a WordPiece vocabulary and max_position_embeddings 64.
    static var model: String { fixtures.appendingPathComponent("tiny-bert-wordpiece").path }

    /// Runs finch with standard output and input on the given paths (for
    /// example /dev/full, or a folder); returns (status, stderr).
    static func run(
        _ arguments: [String], stdoutPath: String? = nil, stdinPath: String? = nil, stderrPath: String? = nil, stdin: String = ""
    )
        throws -> (Int32, String, String)
    {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = arguments
        p.environment = CLI.environment()
        let errPipe = Pipe(), outPipe = Pipe(), inPipe = Pipe()
        if let stderrPath { p.standardError = FileHandle(forWritingAtPath: stderrPath) } else { p.standardError = errPipe }
        if let stdoutPath { p.standardOutput = FileHandle(forWritingAtPath: stdoutPath) } else { p.standardOutput = outPipe }
        if let stdinPath { p.standardInput = FileHandle(forReadingAtPath: stdinPath) } else { p.standardInput = inPipe }
        try p.run()
        if stdinPath == nil {
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let out = stdoutPath == nil ? outPipe.fileHandleForReading.readDataToEndOfFile() : Data()
        let err = stderrPath == nil ? errPipe.fileHandleForReading.readDataToEndOfFile() : Data()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// A fresh folder with a one-line corpus in it.
    static func corpusFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "hello there\nthe weather is fine\n".write(to: dir.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    static func listing(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    // Issue 10 item 4 and 5: a full disk was a trap (tokenize) or exit 0 (the others).
    @Test(arguments: ["tokenize", "embed", "search", "demo"])
    func resultsWrittenToAFullDiskAreAnError(_ command: String) throws {
        let dir = try Self.corpusFolder()
        var arguments = [command]
        switch command {
        case "demo": arguments += ["--epochs", "2"]
        case "search": arguments += ["--model", Self.model, "--corpus", dir.appendingPathComponent("corpus.txt").path]
        default: arguments += ["--model", Self.model]
        }
        let (status, _, err) = try Self.run(arguments, stdoutPath: "/dev/full", stdin: "hello\n")
        #expect(status == 1, "\(err)")
        #expect(err.contains("Error: cannot write to standard output: No space left on device"), "\(err)")
        #expect(!err.contains("Fatal error") && !err.contains("Backtrace"))
    }

    // Issue 10 item 4: a failed write to standard error (a full disk) trapped in FileHandle.write.
    @Test func aFullDiskOnStandardErrorDoesNotTrap() throws {
        let dir = try Self.corpusFolder()
        let corpus = dir.appendingPathComponent("corpus.txt").path
        let (status, out, _) = try Self.run(
            ["search", "--model", Self.model, "--corpus", corpus], stderrPath: "/dev/full", stdin: "hello\n")
        #expect(status == 0)
        #expect(out.split(separator: "\n").count == 1, "the result still reaches stdout")
        let (failed, failedOut, _) = try Self.run(
            ["embed", "--model", dir.appendingPathComponent("missing").path], stderrPath: "/dev/full")
        #expect(failed == 1, "an error with nowhere to report it still exits 1, not a trap")
        #expect(failedOut.isEmpty)
    }

    // Issue 10 items 5 and 11: predict and evaluate exited 0 with their results lost on a full disk;
    // predict read a folder on stdin as empty input and answered a bad JSON line with a usage banner.
    @Test func predictAndEvaluateCannotLoseTheirResults() throws {
        let dir = try Self.corpusFolder()
        let out = dir.appendingPathComponent("model").path
        let data = Self.fixtures.appendingPathComponent("tiny-sentiment.csv").path
        let (trained, _, trainErr) = try Self.run([
            "train", "classify", "--model", Self.model, "--train", data, "--out", out, "--epochs", "1", "--batch-size", "8",
            "--max-length", "16",
        ])
        try #require(trained == 0, "\(trainErr)")
        let (p, _, pErr) = try Self.run(["predict", "--model", out], stdoutPath: "/dev/full", stdin: "a good film\n")
        #expect(p == 1 && pErr.contains("cannot write to standard output: No space left on device"), "\(pErr)")
        let (e, _, eErr) = try Self.run(["evaluate", "--model", out, "--data", data], stdoutPath: "/dev/full")
        #expect(e == 1 && eErr.contains("cannot write to standard output: No space left on device"), "\(eErr)")
        let (folder, folderOut, folderErr) = try Self.run(["predict", "--model", out], stdinPath: dir.path)
        #expect(folder == 1 && folderOut.isEmpty && folderErr.contains("cannot read standard input: Is a directory"), "\(folderErr)")
        let (bad, badOut, badErr) = try Self.run(
            ["predict", "--model", out, "--format", "jsonl"], stdin: "{\"text\": \"fine\"}\n{\"text\": [1]}\n")
        #expect(bad == 1, "\(badErr)")
        #expect(badErr == "Error: standard input, line 2: field \"text\" is not a string (an array)\n", "\(badErr)")
        #expect(badOut.split(separator: "\n").count == 1)
    }

    // Issue 10 item 11: `embed < DIR` printed nothing and exited 0.
    @Test(arguments: ["tokenize", "embed", "search"])
    func aFolderOnStandardInputIsAnError(_ command: String) throws {
        let dir = try Self.corpusFolder()
        var arguments = [command, "--model", Self.model]
        if command == "search" { arguments += ["--corpus", dir.appendingPathComponent("corpus.txt").path] }
        let (status, out, err) = try Self.run(arguments, stdinPath: dir.path)
        #expect(status == 1, "\(err)")
        #expect(out.isEmpty)
        #expect(err.contains("cannot read standard input: Is a directory"), "\(err)")
    }

    // Issue 10 item 11: a bad JSON line on stdin printed a usage banner and exited 64.
    @Test func aBadJSONLineNamesTheLineWithoutAUsageBanner() throws {
        let (status, out, err) = try Self.run(
            ["embed", "--model", Self.model, "--format", "jsonl"],
            stdin: "{\"text\": \"fine\"}\n{\"text\": 5}\n{\"text\": \"never read\"}\n")
        #expect(status == 1)
        #expect(err == "Error: standard input, line 2: field \"text\" is not a string (a number)\n", "\(err)")
        #expect(!err.contains("USAGE") && !err.contains("Usage"))
        #expect(out.split(separator: "\n").count == 1, "the line before the bad one is answered")
        let (missing, _, missingErr) = try Self.run(["embed", "--model", Self.model, "--format", "jsonl"], stdin: "{\"txt\": \"a\"}\n")
        #expect(missing == 1 && missingErr.contains("line 1: missing field \"text\""), "\(missingErr)")
    }

    // Issue 10 item 6: `embed --max-length` above the model's limit was silently capped.
    @Test(arguments: ["embed", "search"])
    func maxLengthAboveTheModelLimitIsAnError(_ command: String) throws {
        let dir = try Self.corpusFolder()
        var arguments = [command, "--model", Self.model, "--max-length", "100"]
        if command == "search" { arguments += ["--corpus", dir.appendingPathComponent("corpus.txt").path] }
        let (status, out, err) = try Self.run(arguments, stdin: "hello\n")
        #expect(status == 1)
        #expect(out.isEmpty)
        #expect(err.contains("--max-length 100 is above the model's limit of 64 tokens (max_position_embeddings in "), "\(err)")
        #expect(err.contains("use at most 64"))
        #expect(try Self.listing(dir) == ["corpus.txt"], "no index was built")
        let (low, _, lowErr) = try Self.run(["embed", "--model", Self.model, "--max-length", "1"])
        #expect(low == 64 && lowErr.contains("--max-length must be at least 2, got 1"), "\(lowErr)")
        let (ok, okOut, _) = try Self.run(["embed", "--model", Self.model, "--max-length", "64"], stdin: "hello\n")
        #expect(ok == 0 && okOut.split(separator: "\n").count == 1)
    }

    // Issue 10 item 6 and issue 9: -k 0 and negative -k are rejected before any work.
    @Test(arguments: [["-k", "0"], ["--top-k=-5"], ["-k=-1"]])
    func topKBelowOneIsRejectedAtParseTime(_ option: [String]) throws {
        let dir = try Self.corpusFolder()
        let (status, out, err) = try Self.run(
            ["search", "--model", Self.model, "--corpus", dir.appendingPathComponent("corpus.txt").path] + option, stdin: "hello\n")
        #expect(status == 64)
        #expect(out.isEmpty)
        #expect(err.contains("--top-k must be at least 1"), "\(err)")
        #expect(try Self.listing(dir) == ["corpus.txt"])
    }

    // Issue 10 item 4: extreme option values trapped (an overflow in the chunk size or step count).
    @Test(arguments: [
        (["embed", "--batch-size", "9223372036854775807"], "--batch-size must be between 1 and 65536"),
        (["embed", "--batch-size", "0"], "--batch-size must be between 1 and 65536"),
        (["search", "--corpus", "c.txt", "--batch-size=-3"], "--batch-size must be between 1 and 65536"),
        (["demo", "--epochs", "9223372036854775807"], "--epochs must be between 1 and 100000"),
        (["tokenize", "--max-length", "0"], "--max-length must be at least 2"),
    ])
    func extremeOptionValuesAreRejectedAtParseTime(_ arguments: [String], _ message: String) throws {
        let model = arguments[0] == "demo" ? [] : ["--model", Self.model]
        let (status, out, err) = try Self.run(arguments + model, stdin: "hello\n")
        #expect(status == 64, "\(err)")
        #expect(out.isEmpty)
        #expect(err.contains(message), "\(err)")
        #expect(!err.contains("Fatal error"))
    }

    // Issue 10 item 11: blank lines in search input were skipped without an answer.
    @Test func blankQueriesGetAnAnswerLine() throws {
        let dir = try Self.corpusFolder()
        let (status, out, err) = try Self.run(
            ["search", "--model", Self.model, "--corpus", dir.appendingPathComponent("corpus.txt").path],
            stdin: "hello\n\n   \nweather\n")
        #expect(status == 0, "\(err)")
        let answers = try out.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(answers.map { $0["query"] as? String } == ["hello", "", "   ", "weather"])
        #expect(answers.map { ($0["hits"] as? [Any])?.count } == [2, 0, 0, 2])
    }

    // Issue 10 item 12: a read-only corpus folder embedded everything, then failed writing the index.
    @Test func searchBesideAReadOnlyCorpusAnswersFromMemoryAndWarns() throws {
        // As root a read-only folder is still writable; /proc is read-only for everyone.
        let corpus: String
        var folder: URL?
        if geteuid() == 0 {
            corpus = "/proc/version"
        } else {
            let dir = try Self.corpusFolder()
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
            folder = dir
            corpus = dir.appendingPathComponent("corpus.txt").path
        }
        defer { if let folder { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) } }
        let (status, out, err) = try Self.run(["search", "--model", Self.model, "--corpus", corpus, "-k", "1"], stdin: "hello\n")
        #expect(status == 0, "\(err)")
        #expect(out.split(separator: "\n").count == 1)
        #expect(err.contains("warning: indexed"), "\(err)")
        #expect(err.contains("in memory only; the index was not saved to \(corpus).finch-index"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: corpus + ".finch-index"))
        if let folder { #expect(try Self.listing(folder) == ["corpus.txt"]) }
    }

    // Issue 10 item 11: an index path that is a folder gave a raw NSCocoaErrorDomain dump.
    @Test func anIndexPathThatIsAFolderIsNamed() throws {
        let dir = try Self.corpusFolder()
        let index = dir.appendingPathComponent("corpus.txt.finch-index")
        try FileManager.default.createDirectory(at: index, withIntermediateDirectories: false)
        let (status, out, err) = try Self.run(
            ["search", "--model", Self.model, "--corpus", dir.appendingPathComponent("corpus.txt").path],
            stdin: "hello\n")
        #expect(status == 1)
        #expect(out.isEmpty)
        let expected = "Error: \(index.path): cannot read the index: it is a folder; remove or rename it and the index is rebuilt\n"
        #expect(err == expected, "\(err)")
        #expect(try Self.listing(index).isEmpty && Self.listing(dir) == ["corpus.txt", "corpus.txt.finch-index"])
    }

    // Issue 10 item 11: unreadable files are one line naming the file and the problem.
    @Test func aMissingCorpusIsOneLineNamingIt() throws {
        let dir = try Self.corpusFolder()
        let missing = dir.appendingPathComponent("missing.txt").path
        let (status, _, err) = try Self.run(["search", "--model", Self.model, "--corpus", missing], stdin: "hello\n")
        #expect(status == 1)
        #expect(err == "Error: \(missing): cannot read: No such file or directory\n", "\(err)")
        #expect(try Self.listing(dir) == ["corpus.txt"])
        let (badModel, _, modelErr) = try Self.run(["embed", "--model", "hf:not a name"])
        #expect(badModel == 64 && modelErr.contains("hf:ORG/NAME"), "\(modelErr)")
    }

    // Issue 10 item 4: `try!` on output trapped; none may come back.
    @Test func theCommandLineToolHasNoTryBang() throws {
        let sources = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/finch")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("try!"), "\(file) uses try!")
        }
    }
}

/// The top-level error renderer, on the Foundation errors the probe saw raw.
@Suite struct ErrorMessageTests {
    @Test func foundationFileErrorsNameTheFileAndTheProblem() {
        func cocoa(_ code: Int, _ path: String, posix: POSIXErrorCode? = nil) -> NSError {
            var info: [String: Any] = [NSFilePathErrorKey: path]
            if let posix { info[NSUnderlyingErrorKey] = POSIXError(posix) }
            return NSError(domain: NSCocoaErrorDomain, code: code, userInfo: info)
        }
        #expect(ErrorMessage.render(cocoa(256, "/data/x", posix: .EISDIR)) == "/data/x: cannot read it: Is a directory")
        #expect(ErrorMessage.render(cocoa(257, "/data/x")) == "/data/x: permission denied (cannot read it)")
        #expect(ErrorMessage.render(cocoa(260, "/data/x", posix: .ENOENT)) == "/data/x: no such file or directory")
        #expect(ErrorMessage.render(cocoa(512, "/out/m", posix: .ENOSPC)) == "/out/m: cannot write it: No space left on device")
        #expect(ErrorMessage.render(cocoa(513, "/out/m")) == "/out/m: permission denied (cannot write it)")
        #expect(ErrorMessage.render(cocoa(640, "/out/m")) == "/out/m: no space left on the device")
        #expect(ErrorMessage.render(POSIXError(.EACCES)) == "Permission denied")
    }

    @Test func decodingErrorsNameTheField() throws {
        struct State: Decodable { var step: Int; var name: String }
        let decoder = JSONDecoder()
        do {
            _ = try decoder.decode(State.self, from: Data(#"{"step": "x", "name": "a"}"#.utf8))
            Issue.record("decoded a string as a step")
        } catch {
            #expect(ErrorMessage.render(error).hasPrefix("invalid JSON: field step: expected a number"), "\(ErrorMessage.render(error))")
        }
        do {
            _ = try decoder.decode(State.self, from: Data(#"{"step": 3}"#.utf8))
            Issue.record("decoded without a name")
        } catch {
            #expect(ErrorMessage.render(error) == #"invalid JSON: missing field "name""#)
        }
        do {
            _ = try decoder.decode(State.self, from: Data("garbage".utf8))
            Issue.record("decoded garbage")
        } catch {
            #expect(ErrorMessage.render(error).hasPrefix("invalid JSON: "))
            #expect(!ErrorMessage.render(error).contains("DecodingError"))
        }
    }
}
