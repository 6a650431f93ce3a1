import FinchNN
import FinchSupport
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// Embedder distillation on the tiny model: unlabelled texts, the student
/// trained to the teacher's sentence vectors, exported as a sentence-transformers folder.
@Suite struct EmbeddingDistillationTests {
    static let wordPiece = TestSupport.fixtureURL("tiny-bert-wordpiece")

    /// A sentence-transformers folder holding a tiny 4-layer encoder (weights drawn with std 0.3,
    /// see `DistillationTests.teacher`), mean pooling and normalization, and the word-piece tokenizer.
    static func teacherFolder() throws -> URL {
        var config = try Checkpoint.readConfig(BertConfig.self, from: wordPiece)
        config.numHiddenLayers = 4
        config.initializerRange = 0.3
        var rng = FinchRNG(seed: 11)
        let model = try BertModel(config: config, rng: &rng)
        let directory = temporaryDirectory()
        try SentenceEmbedder(
            model: model, pooling: PoolingConfig(embeddingDimension: 32, modes: [.mean]), normalizes: true, maxSequenceLength: 24
        ).save(to: directory)
        try TokenizerFiles.copy(from: wordPiece, to: directory)
        return directory
    }

    /// The texts of the tiny sentiment file, one per line (a blank line and a CRLF among them).
    static func textFile() throws -> URL {
        let texts = try ClassificationReader().read(TestSupport.fixtureURL("tiny-sentiment.csv")).map(\.text)
        let url = temporaryDirectory().appendingPathComponent("texts.txt")
        try Data((texts[0] + "\r\n\n" + texts.dropFirst().joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    @Test func textLinesSkipBlankLinesAndKeepLineNumbers() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let lines = try TextLinesReader().read(files.write("t.txt", "first text\r\n\n   \nsecond  text\nthird"))
        #expect(
            lines == [TextLine(text: "first text", line: 1), TextLine(text: "second  text", line: 4), TextLine(text: "third", line: 5)])
        #expect(
            dataError { _ = try TextLinesReader().read(files.write("e.txt", "\n \n")) } == .emptyFile(file: files.directory.path + "/e.txt")
        )
        let bad = try files.write("b.txt", bytes: Array("ok\nstill ok\n".utf8) + [0xFF, 0x41])
        #expect(dataError { _ = try TextLinesReader().read(bad, name: "b.txt") } == .invalidUTF8(file: "b.txt", line: 3, field: nil))
    }

    @Test func trainingLowersTheDistanceToTheTeachersVectors() throws {
        let folder = try Self.teacherFolder()
        let teacher = try SentenceEmbedder(contentsOf: folder)
        var rng = FinchRNG(seed: 3)
        let student = try DistillationStudent.initialize(from: teacher.model, layers: 2, rng: &rng)
        // At the start the student's kept layers are the teacher's layers 0 and 2, tensor for tensor.
        let teacherState = teacher.model.stateDict()
        for (key, value) in student.stateDict() {
            var source = key
            for k in 0..<2 where key.hasPrefix("encoder.layer.\(k).") {
                source = "encoder.layer.\(2 * k)." + key.dropFirst("encoder.layer.\(k).".count)
            }
            #expect(teacherState[source]?.scalars == value.scalars, "\(key) is not the teacher's \(source)")
        }
        let task = EmbeddingDistillationTask(
            teacher: teacher, student: student, tokenizer: try Tokenizer.load(directory: folder), tokenizerDirectory: folder,
            maxLength: 16)
        let texts = try task.encode(TextLinesReader().read(Self.textFile()))
        #expect(texts.count == 48)
        let before = try task.evaluate(texts)
        // The inference path and the differentiable one give the student the same vectors.
        let recorded = try withoutGradient { try task.studentVectors(texts) }
        let inferred = try task.studentEmbedder.embed(tokenIDs: texts.map(\.ids), tokenTypeIDs: texts.map(\.typeIDs))
        #expect(TestSupport.isClose(recorded, inferred, atol: 1e-5))
        var c = TrainingConfiguration()
        c.epochs = 3
        c.batchSize = 8
        c.learningRate = 1e-3
        let trainer = try Trainer(
            task: task, configuration: c, train: texts, dev: Array(texts.prefix(10)), outputDirectory: temporaryDirectory())
        _ = try trainer.run()
        let after = try task.evaluate(texts)
        let (mse0, mse1) = (before.metrics["loss"]!, after.metrics["loss"]!)
        #expect(mse0 > 1e-4, "the student starts away from its teacher (MSE \(mse0))")
        #expect(mse1 < mse0 * 0.5, "MSE \(mse0) → \(mse1)")
        #expect(after.metrics["cosine"]! > before.metrics["cosine"]!)
        #expect(after.report.hasPrefix("student vs teacher sentence vectors on 48 texts: mean squared error "))
    }

    @Test func recipeWritesASentenceTransformersFolder() throws {
        let folder = try Self.teacherFolder(), out = temporaryDirectory().appendingPathComponent("student")
        var r = DistillationRequest(teacherDirectory: folder, trainFile: try Self.textFile(), outputDirectory: out)
        #expect(DistillationKind(teacher: folder) == .embedder)
        #expect(DistillationKind(teacher: Self.wordPiece) == .classifier)
        r.fineTuning.training.epochs = 2
        r.fineTuning.training.batchSize = 8
        r.fineTuning.training.learningRate = 1e-3
        r.fineTuning.training.metricForBestModel = .loss
        let result = try Distillation.embed(r)
        #expect(result.trainExamples == 43)  // 48 texts, 5 held out
        #expect(result.settings["distillation_kept_layers"] == "0,2")
        #expect(result.summary.lastEvaluation?.metrics["cosine"] != nil)
        let student = try SentenceEmbedder(contentsOf: out)
        let teacher = try SentenceEmbedder(contentsOf: folder)
        #expect(student.model.config.numHiddenLayers == 2)
        #expect(student.normalizes && student.pooling.config == teacher.pooling.config)
        #expect(student.maxSequenceLength == 24)
        let tokenizer = try Tokenizer.load(directory: out)
        let ids = ["the film was very great", "the plot was very boring"].map { tokenizer.encode($0).ids }
        let vectors = try student.embed(tokenIDs: ids)
        #expect(vectors.shape == [2, 32])
        let record = try TrainingRunRecord.embeddingDistillation(
            request: r, result: result, baseModel: folder.path, command: "finch distill", seconds: 1, finchVersion: "test")
        #expect(record.task == "feature-extraction" && record.dataFiles.first?.rows == 48)
        #expect(record.settings["distillation_layers"] == "2")
        // The student is chosen by loss; a classification metric is refused before training.
        r.fineTuning.training.metricForBestModel = .accuracy
        #expect(throws: TrainingError.self) { try Distillation.embed(r) }
    }
}
