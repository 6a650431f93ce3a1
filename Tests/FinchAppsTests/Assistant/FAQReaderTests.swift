import FinchSupport
import Foundation
import Testing

@testable import FinchApps

@Suite struct FAQReaderTests {
    @Test func sameQuestionOnSeveralLinesIsOneEntryWithSeveralAnswers() throws {
        let dir = try AssistantScratch.folder()
        let file = try AssistantScratch.write(
            """
            {"category": "AI", "question": "What is AI?", "answer": "The branch of engineering that builds thinking machines."}
            {"question": "Are you sentient?", "answer": "Sort of.", "id": 7}

            {"question": "  What   is AI? ", "answer": "AI replicates the functions of the human mind.", "alternatives": ["Define AI", "what's artificial intelligence"]}
            {"question": "What is AI?", "answer": "The branch of engineering that builds thinking machines.", "alternatives": ["Define AI"]}
            """, "faq.jsonl", in: dir)
        let c = try FAQReader.read(file, name: "faq.jsonl")
        #expect(c.count == 2)
        let ai = c.entries[0]
        #expect(ai.id == "1" && ai.category == "AI")
        #expect(
            ai.answers == ["The branch of engineering that builds thinking machines.", "AI replicates the functions of the human mind."])
        #expect(ai.answer == ai.answers[0])
        #expect(ai.alternatives == ["Define AI", "what's artificial intelligence"])
        #expect(c.entries[1].id == "7" && c.entries[1].category == nil)
        #expect(c.position(matching: "7") == 1)
        #expect(c.position(matching: "what is AI?") == nil)  // question matching is exact up to whitespace
        #expect(c.position(matching: " What is AI? ") == 0)
        #expect(c.position(matching: "Define AI") == 0)
    }

    @Test func csvWithQuotedFieldsAndAlternativesSeparatedByBars() throws {
        let dir = try AssistantScratch.folder()
        let file = try AssistantScratch.write(
            """
            id,question,answer,category,alternatives
            pw,How do I reset my password?,"Open Settings, then ""Security"".",account,I forgot my password | can't log in
            ship,Do you ship to Canada?,"Yes,
            in 5 days.",,
            """, "faq.csv", in: dir)
        let c = try FAQReader.read(file, name: "faq.csv")
        #expect(c.entries.map(\.id) == ["pw", "ship"])
        #expect(c.entries[0].answer == "Open Settings, then \"Security\".")
        #expect(c.entries[0].alternatives == ["I forgot my password", "can't log in"])
        #expect(c.entries[0].category == "account")
        #expect(c.entries[1].answer == "Yes,\nin 5 days." && c.entries[1].alternatives.isEmpty && c.entries[1].category == nil)
        let tsv = try AssistantScratch.write("question\tanswer\nQ1\tA1\n", "faq.tsv", in: dir)
        #expect(try FAQReader.read(tsv).entries == [FAQEntry(id: "2", question: "Q1", answers: ["A1"])])
    }

    @Test func errorsNameTheFileTheLineAndTheField() throws {
        let dir = try AssistantScratch.folder()
        func error(_ text: String, _ name: String) throws -> DataError {
            let url = try AssistantScratch.write(text, name, in: dir)
            do {
                _ = try FAQReader.read(url, name: name)
            } catch let e as DataError {
                return e
            }
            Issue.record("no error for \(name)")
            return .emptyFile(file: "none")
        }
        let blank = try error("{\"question\": \"Q\", \"answer\": \"A\"}\n{\"question\": \"Q2\", \"answer\": \"  \"}\n", "a.jsonl")
        #expect(blank == .emptyText(file: "a.jsonl", line: 2, field: "answer"))
        #expect(blank.description == "a.jsonl:2: field 'answer' is empty")
        let missing = try error("{\"question\": \"Q\"}\n", "b.jsonl")
        #expect(missing == .missingColumn(file: "b.jsonl", line: 1, column: "answer", found: ["question"]))
        let alternatives = try error("{\"question\": \"Q\", \"answer\": \"A\", \"alternatives\": [\"x\", 3]}\n", "c.jsonl")
        #expect(alternatives == .wrongType(file: "c.jsonl", line: 1, field: "alternatives[1]", expected: "a string", found: "an integer"))
        let duplicate = try error("id,question,answer\nk,Q1,A1\nk,Q2,A2\n", "d.csv")
        #expect(duplicate.location == DataLocation(file: "d.csv", line: 3, field: "id"))
        #expect(duplicate.description.contains("already the id of the question on line 2"))
        let conflicting = try error("id,question,answer\nk,Q1,A1\nm,Q1,A2\n", "e.csv")
        #expect(conflicting.location == DataLocation(file: "e.csv", line: 3, field: "id"))
        let noColumn = try error("question,reply\nQ,A\n", "f.csv")
        #expect(noColumn == .missingColumn(file: "f.csv", line: 1, column: "answer", found: ["question", "reply"]))
        let fields = try error("question,answer\nQ,A,extra\n", "g.csv")
        #expect(fields == .fieldCount(file: "g.csv", line: 2, expected: 2, found: 3))
        #expect(try error("\n\n", "h.jsonl") == .emptyFile(file: "h.jsonl"))
    }
}
