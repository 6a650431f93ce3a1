import FinchSupport
import Foundation
import Testing

@testable import FinchTrain

/// Every bad input names file, line and field in its message.
@Suite struct DataErrorTests {
    let files: TestFiles
    init() throws { files = try TestFiles() }

    func csv(_ text: String, columns: ClassificationColumns = ClassificationColumns()) -> String {
        dataErrorMessage {
            let url = try files.write("t.csv", text)
            _ = try ClassificationReader(columns: columns).read(url, name: "t.csv")
        }
    }

    func jsonl(_ bytes: [UInt8]) -> String {
        dataErrorMessage {
            let url = try files.write("t.jsonl", bytes: bytes)
            _ = try ClassificationReader().read(url, name: "t.jsonl")
        }
    }

    func conll(_ text: String, scheme: TagScheme? = nil) -> String {
        conll(bytes: Array(text.utf8), scheme: scheme)
    }

    func conll(bytes: [UInt8], scheme: TagScheme? = nil) -> String {
        dataErrorMessage {
            let url = try files.write("t.bio", bytes: bytes)
            _ = try CoNLLReader(scheme: scheme).read(url, name: "t.bio")
        }
    }

    @Test func missingColumnListsTheColumnsFound() {
        #expect(csv("sentence,label\nhi,pos\n") == "t.csv:1: no column 'text'; columns found: 'sentence', 'label'")
        #expect(csv("text,y\nhi,pos\n") == "t.csv:1: no column 'label'; columns found: 'text', 'y'")
        #expect(
            csv("text,label\nhi,pos\n", columns: ClassificationColumns(textPair: "hypothesis"))
                == "t.csv:1: no column 'hypothesis'; columns found: 'text', 'label'")
        #expect(
            jsonl(Array("{\"text\": \"a\", \"label\": 1}\n{\"txt\": \"b\", \"label\": 1}\n".utf8))
                == "t.jsonl:2: no column 'text'; columns found: 'label', 'txt'")
    }

    @Test func emptyText() {
        #expect(csv("text,label\nfine,pos\n,neg\n") == "t.csv:3: field 'text' is empty")
        #expect(csv("text,label\n\"  \",neg\n") == "t.csv:2: field 'text' is empty")
        #expect(csv("text,label\n\u{3000},neg\n") == "t.csv:2: field 'text' is empty")
        #expect(jsonl(Array("{\"text\": \"\", \"label\": 1}".utf8)) == "t.jsonl:1: field 'text' is empty")
    }

    @Test func emptyLabel() {
        #expect(csv("text,label\nfine,\n") == "t.csv:2: label field 'label' is empty")
        #expect(jsonl(Array("{\"text\": \"x\", \"label\": \" \"}".utf8)) == "t.jsonl:1: label field 'label' is empty")
    }

    @Test func fieldCount() {
        #expect(csv("text,label\na,b,c\n") == "t.csv:2: expected 2 fields as in the header, found 3")
        #expect(csv("text,label\n\"multi\nline\",pos\nonly\n") == "t.csv:4: expected 2 fields as in the header, found 1")
    }

    @Test func quoting() {
        #expect(csv("text,label\n\"open,pos\nmore\n") == "t.csv:2: field 1 opens a quote that is never closed")
        #expect(
            csv("text,label\nok,\"pos\"x\n")
                == "t.csv:2: field 2 has text after its closing quote (write \"\" for a quote inside a quoted field)")
    }

    @Test func duplicateColumn() {
        #expect(csv("text,label,text\na,b,c\n") == "t.csv:1: the header names column 'text' twice")
    }

    @Test func invalidUTF8NamesTheLine() {
        let latin1: [UInt8] = Array("text,label\ngood,pos\n\"caf".utf8) + [0xE9] + Array("\n\",neg\n".utf8)
        let message = dataErrorMessage {
            let url = try files.write("t.csv", bytes: latin1)
            _ = try ClassificationReader().read(url, name: "t.csv")
        }
        #expect(message == "t.csv:3: field 'text' is not valid UTF-8")
        let badLabel: [UInt8] = Array("text,label\ngood,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(
            dataErrorMessage {
                _ = try ClassificationReader().read(try files.write("t.csv", bytes: badLabel), name: "t.csv")
            } == "t.csv:2: field 'label' is not valid UTF-8")
        #expect(
            jsonl(Array("{\"text\": \"a\", \"label\": 1}\n{\"text\": \"".utf8) + [0xC3, 0x28] + Array("\", \"label\": 1}".utf8))
                == "t.jsonl:2: the line is not valid UTF-8")
        #expect(conll(bytes: Array("a\tO\n".utf8) + [0xE4, 0xB8] + Array("\tO\n".utf8)) == "t.bio:2: the line is not valid UTF-8")
    }

    @Test func emptyFile() {
        #expect(csv("") == "t.csv: the file is empty (no data rows)")
        #expect(csv("\u{FEFF}") == "t.csv: the file is empty (no data rows)")
        #expect(csv("text,label\n") == "t.csv: the file is empty (no data rows)")
        #expect(jsonl(Array("\n  \n".utf8)) == "t.jsonl: the file is empty (no data rows)")
        #expect(conll("\n\n-DOCSTART- -X- -X- O\n\n") == "t.bio: the file is empty (no data rows)")
    }

    @Test func unreadableFile() {
        let missing = dataErrorMessage {
            _ = try ClassificationReader().read(files.directory.appendingPathComponent("nope.csv"), name: "nope.csv")
        }
        #expect(missing == "nope.csv: cannot read the file: No such file or directory")
        let directory = dataErrorMessage { _ = try CoNLLReader().read(files.directory, name: "dir") }
        #expect(directory == "dir: cannot read the file: Is a directory")
    }

    @Test func malformedJSON() {
        #expect(jsonl(Array("{\"text\": \"a\", \"label\": 1\n".utf8)) == "t.jsonl:1: not a JSON object: invalid JSON")
        #expect(jsonl(Array("[\"a\", 1]\n".utf8)) == "t.jsonl:1: not a JSON object: found an array")
        #expect(jsonl(Array("{\"text\": null, \"label\": 1}".utf8)) == "t.jsonl:1: field 'text' is not a string (found null)")
        #expect(
            jsonl(Array("{\"text\": \"a\", \"label\": 0.5}".utf8))
                == "t.jsonl:1: field 'label' is not a string, an integer or a boolean (found a number)")
    }

    @Test func unknownLabelInDevData() throws {
        let train = try ClassificationReader().read(try files.write("train.csv", "text,label\na,pos\nb,neg\n"), name: "train.csv")
        let dev = try ClassificationReader().read(try files.write("dev.csv", "text,label\nc,pos\nd,neutral\n"), name: "dev.csv")
        let labels = LabelSet(examples: train)
        #expect(
            dataErrorMessage { try labels.validate(dev, file: "dev.csv") }
                == "dev.csv:3: label 'neutral' never occurs in the training data (training labels: 'neg', 'pos')")
        #expect(try labels.ids(for: train, file: "train.csv") == [1, 0])

        let tagTrain = [TaggedSentence(tokens: ["a", "b"], tags: ["B-PER", "O"], line: 1)]
        let tagDev = [TaggedSentence(tokens: ["x", "y", "z"], tags: ["O", "O", "B-LOC"], line: 7)]
        #expect(
            dataErrorMessage { try LabelSet(sentences: tagTrain).validate(tagDev, file: "dev.bio") }
                == "dev.bio:9: label 'B-LOC' never occurs in the training data (training labels: 'B-PER', 'O')")
    }

    @Test func malformedCoNLLLines() {
        #expect(
            conll("EU\tB-ORG\nrejects\n") == "t.bio:2: malformed line 'rejects': expected a token and a tag separated by a tab or a space")
        #expect(conll("EU\tORG\n") == "t.bio:1: malformed line 'EU\tORG': tag 'ORG' is not O, B-TYPE or I-TYPE")
        #expect(conll("a O\n\nEU E-ORG\n") == "t.bio:3: malformed line 'EU E-ORG': tag 'E-ORG' is not O, B-TYPE or I-TYPE")
        #expect(conll("EU\tB-\n") == "t.bio:1: malformed line 'EU\tB-': tag 'B-' is not O, B-TYPE or I-TYPE")
        #expect(conll("\tO\n") == "t.bio:1: malformed line '\tO': the token before the tab is empty")
        #expect(
            conll("Peter\tB-PER\nsaw\tO\nParis\tI-LOC\n", scheme: .iob2)
                == "t.bio:3: malformed line 'Paris\tI-LOC': 'I-LOC' after 'O' starts an entity with I-, which IOB2 does not allow (IOB1 does)"
        )
        #expect(
            conll("Paris\tI-LOC\n", scheme: .iob2)
                == "t.bio:1: malformed line 'Paris\tI-LOC': 'I-LOC' at the start of a sentence starts an entity with I-, which IOB2 does not allow (IOB1 does)"
        )
    }

    @Test func tooFewExamplesToHoldOut() {
        let one = [ClassificationExample(text: "a", label: "x", line: 2)]
        #expect(
            dataErrorMessage { _ = try HoldOutSplit(one, seed: 1, file: "t.csv") }
                == "t.csv: 1 example; at least 2 are needed to hold out a development part")
    }

    @Test func errorsCarryTheirLocation() {
        let error = dataError { _ = try ClassificationReader().read(try files.write("t.csv", "text,label\n,x\n"), name: "t.csv") }
        #expect(error == .emptyText(file: "t.csv", line: 2, field: "text"))
    }
}
