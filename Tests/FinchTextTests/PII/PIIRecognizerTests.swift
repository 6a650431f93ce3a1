import Testing

@testable import FinchText

/// Accept and reject cases for every recognizer: valid and invalid
/// checksums, ranges never issued, numbers inside longer runs.
@Suite struct PIIRecognizerTests {
    @Test func emails() throws {
        let r = EmailRecognizer()
        #expect(try PII.found(r, "write to jane.doe+news@mail.example.co.uk today") == ["jane.doe+news@mail.example.co.uk"])
        #expect(try PII.found(r, "邮箱：wang_wei@163.com，谢谢") == ["wang_wei@163.com"])
        #expect(try PII.found(r, "(a@b.io).") == ["a@b.io"])
        #expect(try PII.found(r, "not@an-address, x@y, .dot@example.com, a..b@example.com, a@-bad.com, user@host.c").isEmpty)
    }

    @Test func phoneNumbers() throws {
        let r = PhoneRecognizer()
        #expect(try PII.found(r, "call (415) 555-2671 now") == ["(415) 555-2671"])
        #expect(try PII.found(r, "cell: 415-555-2671x1234.") == ["415-555-2671x1234"])
        #expect(try PII.found(r, "+1-415-555-2671") == ["+1-415-555-2671"])
        #expect(try PII.found(r, "office +44 20 7946 0958, home 020 7946 0958") == ["+44 20 7946 0958", "020 7946 0958"])
        #expect(try PII.found(r, "E.164 +14155552671.") == ["+14155552671"])
        #expect(try PII.found(r, "Berlin 030/1234567") == ["030/1234567"])
        #expect(try PII.found(r, "手机13812345678，座机0755-12345678") == ["13812345678", "0755-12345678"])
        #expect(try PII.found(r, "+86 138 1234 5678") == ["+86 138 1234 5678"])
        // A mobile inside a longer digit run, a 2 after the prefix, too few digits, an SSN shape, a date.
        #expect(try PII.found(r, "order 9913812345678 and 12812345678 and 555-2671").isEmpty)
        #expect(try PII.found(r, "123-45-6789 on 2024-01-01").isEmpty)
        #expect(try PII.found(r, "id A13812345678").isEmpty)
        // Ten digits in one run: only after a context word.
        #expect(try PII.found(r, "My cell is 2837372643.") == ["2837372643"])
        #expect(try PII.found(r, "order 2837372643 shipped").isEmpty)
    }

    @Test func chineseMobilesScoreHighWithContext() throws {
        let plain = PhoneRecognizer().findings(in: PIIText("13812345678"))
        let context = PhoneRecognizer().findings(in: PIIText("手机号码：13812345678"))
        #expect(plain.map(\.score) == [0.9])
        #expect(context.map(\.score) == [1.0])
    }

    @Test func paymentCards() throws {
        let r = CreditCardRecognizer()
        #expect(try PII.found(r, "card 4111 1111 1111 1111 exp 12/29") == ["4111 1111 1111 1111"])
        #expect(try PII.found(r, "5555-5555-5555-4444") == ["5555-5555-5555-4444"])
        #expect(try PII.found(r, "amex 378282246310005, diners 30569309025904") == ["378282246310005", "30569309025904"])
        #expect(try PII.found(r, "JCB 3530111333300000 UnionPay 6200000000000005") == ["3530111333300000", "6200000000000005"])
        // A bad check digit, mixed separators, inside a longer run, an unknown prefix that passes Luhn.
        #expect(try PII.found(r, "4111111111111112").isEmpty)
        #expect(try PII.found(r, "4111 1111-1111 1111").isEmpty)
        #expect(try PII.found(r, "94111111111111111 and 41111111111111119").isEmpty)
        #expect(CreditCardRecognizer.passesLuhn([7] + Array(repeating: 0, count: 14) + [5]))
        #expect(try PII.found(r, "7000000000000005").isEmpty)
        #expect(try PII.found(r, "9999999999999995").isEmpty)
        // Maestro-only numbers need a card word nearby; a valid Chinese resident ID is not a card.
        #expect(try PII.found(r, "paid with card 675900000000") == ["675900000000"])
        #expect(try PII.found(r, "order 675900000000 shipped").isEmpty)
        #expect(CreditCardRecognizer.passesLuhn([3, 5, 0, 8, 0, 1, 2, 0, 0, 7, 0, 6, 2, 6, 2, 4, 2, 1]))
        #expect(ChineseResidentIDRecognizer.isValid(Array("350801200706262421".unicodeScalars)))
        #expect(try PII.found(r, "证件号350801200706262421").isEmpty)
    }

    @Test func luhn() {
        #expect(CreditCardRecognizer.passesLuhn([4, 0, 1, 2, 8, 8, 8, 8, 8, 8, 8, 8, 1, 8, 8, 1]))
        #expect(!CreditCardRecognizer.passesLuhn([4, 0, 1, 2, 8, 8, 8, 8, 8, 8, 8, 8, 1, 8, 8, 2]))
    }

    @Test func ibans() throws {
        let r = IBANRecognizer()
        #expect(try PII.found(r, "IBAN GB82 WEST 1234 5698 7654 32 please") == ["GB82 WEST 1234 5698 7654 32"])
        #expect(try PII.found(r, "DE89370400440532013000, NL91ABNA0417164300.") == ["DE89370400440532013000", "NL91ABNA0417164300"])
        #expect(try PII.found(r, "FR1420041010050500013M02606") == ["FR1420041010050500013M02606"])
        // A bad check, a wrong length for the country, an unknown country, glued to a word.
        #expect(try PII.found(r, "GB82WEST12345698765433").isEmpty)
        #expect(try PII.found(r, "GB82WEST1234569876543").isEmpty)
        #expect(try PII.found(r, "ZZ82WEST12345698765432").isEmpty)
        #expect(try PII.found(r, "XGB82WEST12345698765432").isEmpty)
        #expect(try PII.found(r, "GB82WEST123456987654321").isEmpty)
    }

    @Test func usSocialSecurityNumbers() throws {
        let r = USSSNRecognizer()
        #expect(try PII.found(r, "SSN 123-45-6789.") == ["123-45-6789"])
        #expect(try PII.found(r, "her number is 536 22 8726") == ["536 22 8726"])
        #expect(try PII.found(r, "ssn: 536228726") == ["536228726"])
        // Unseparated without context; areas 000, 666, 9xx; group 00; serial 0000; mixed separators; longer runs.
        #expect(try PII.found(r, "order 536228726").isEmpty)
        for bad in ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "078-05-1120", "123-45 6789"] {
            #expect(try PII.found(r, "SSN \(bad)").isEmpty, "\(bad)")
        }
        #expect(try PII.found(r, "1123-45-6789 and 123-45-67890").isEmpty)
    }

    @Test func chineseResidentIDs() throws {
        let r = ChineseResidentIDRecognizer()
        #expect(try PII.found(r, "身份证号11010519491231002X。") == ["11010519491231002X"])
        #expect(try PII.found(r, "id 440306199001011236 and 310115200002294567") == ["440306199001011236", "310115200002294567"])
        #expect(try PII.found(r, "11010519491231002x") == ["11010519491231002x"])
        // Wrong check character, 30 February, region 99, inside a longer run, 17 digits.
        for bad in ["110105194912310021", "110105194902300020", "990105194912310023", "911010519491231002X", "11010519491231002"] {
            #expect(try PII.found(r, "身份证\(bad)").isEmpty, "\(bad)")
        }
    }

    @Test func checkCharacterIsMod11_2() {
        #expect(ChineseResidentIDRecognizer.checkCharacter([1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2]) == "X")
        #expect(ChineseResidentIDRecognizer.checkCharacter([4, 4, 0, 3, 0, 6, 1, 9, 9, 0, 0, 1, 0, 1, 1, 2, 3]) == "6")
    }

    @Test func ipAddresses() throws {
        let r = IPAddressRecognizer()
        #expect(try PII.found(r, "from 192.168.0.1 and 10.0.0.255.") == ["192.168.0.1", "10.0.0.255"])
        #expect(try PII.found(r, "v6 2001:db8::8a2e:370:7334, fe80::1.") == ["2001:db8::8a2e:370:7334", "fe80::1"])
        #expect(try PII.found(r, "::ffff:192.0.2.128") == ["::ffff:192.0.2.128"])  // not also the IPv4 inside
        // Octets over 255, leading zeros, five parts, a time, C++ scope, a bad IPv6.
        #expect(try PII.found(r, "256.1.1.1 01.2.3.4 1.2.3.4.5 at 10:30:00 std::vector 2001:db8:::1").isEmpty)
    }

    @Test func urls() throws {
        let r = URLRecognizer()
        #expect(try PII.found(r, "see https://example.com/a?b=1#c.") == ["https://example.com/a?b=1#c"])
        #expect(try PII.found(r, "(www.finch.dev/docs)") == ["www.finch.dev/docs"])
        #expect(try PII.found(r, "访问http://例子.test了解") == [])
        #expect(try PII.found(r, "访问https://smith.com/x了解") == ["https://smith.com/x"])
        #expect(try PII.found(r, "shop at jones-smith.com today") == ["jones-smith.com"])
        // Inside an e-mail address, an unknown top-level domain, a sentence without a dot.
        #expect(try PII.found(r, "mail bob@smith.com; open file.txt; e.g. this").isEmpty)
    }

    @Test func datesOfBirthOnlyInContext() throws {
        let r = DateOfBirthRecognizer()
        #expect(try PII.found(r, "DOB: 1990-04-23") == ["1990-04-23"])
        #expect(try PII.found(r, "She was born on April 23, 1990 in Leeds.") == ["April 23, 1990"])
        #expect(try PII.found(r, "date of birth 23.04.1990") == ["23.04.1990"])
        #expect(try PII.found(r, "born 3rd of March 1985") == ["3rd of March 1985"])
        #expect(try PII.found(r, "出生日期：1990年4月23日") == ["1990年4月23日"])
        #expect(try PII.found(r, "他1990年4月23日出生") == ["1990年4月23日"])
        // No context word, an impossible date, the word claims only the first date after it.
        #expect(try PII.found(r, "Apple 2024-01-01").isEmpty)
        #expect(try PII.found(r, "born 1990-02-30").isEmpty)
        #expect(try PII.found(r, "born 1990-01-02, hired 2020-02-03") == ["1990-01-02"])
        // Context does not reach across a sentence end; dotted abbreviations are no sentence end.
        #expect(try PII.found(r, "他于1949-11-24出生。会议定于2026年6月24日举行。") == ["1949-11-24"])
        #expect(try PII.found(r, "会议定于2023年4月1日举行。出生日期：1970年6月12日") == ["1970年6月12日"])
        #expect(try PII.found(r, "D.O.B. 1990-01-01; d.o.b. 1991-02-02") == ["1990-01-01", "1991-02-02"])
        #expect(try PII.found(r, "I was born. Then on 2020-02-03 I moved.").isEmpty)
    }

    @Test func denyListsRespectWordBoundaries() throws {
        let r = DenyListRecognizer(type: "PROJECT", values: ["Falcon", "猎鹰"])
        #expect(try PII.found(r, "falcon and FALCON, Falconry, 猎鹰计划") == ["falcon", "FALCON", "猎鹰"])
    }

    @Test func customPatterns() throws {
        let r = try PatternRecognizer(type: "EMPLOYEE_ID", regex: "EMP-[0-9]{6}", score: 0.9)
        let findings = r.findings(in: PIIText("😀 EMP-123456 and EMP-12"))
        #expect(findings == [PIIFinding(type: "EMPLOYEE_ID", start: 2, end: 12, score: 0.9, recognizer: "PatternRecognizer")])
        #expect(throws: (any Error).self) { try PatternRecognizer(type: "X", regex: "([") }
    }

    @Test func namesComeFromTheTagger() throws {
        struct FakeTagger: PIINameTagger {
            func names(in text: String) throws -> [PIITaggedName] {
                [
                    PIITaggedName(label: "B-PER", start: 3, end: 8, score: 0.5), PIITaggedName(label: "LOC", start: 9, end: 14, score: 0.7),
                    PIITaggedName(label: "MISC", start: 0, end: 2, score: 0.9),
                ]
            }
        }
        let findings = try NameRecognizer(tagger: FakeTagger()).findings(in: PIIText("Mr Smith lives in Leeds"))
        #expect(findings.map(\.type) == [.person, .location])
        // "Mr" before the person adds 0.1; nothing before "lives" says place.
        #expect(abs(findings[0].score - 0.6) < 1e-12 && findings[1].score == 0.7)
        struct Failing: PIINameTagger {
            struct Boom: Error {}
            func names(in text: String) throws -> [PIITaggedName] { throw Boom() }
        }
        #expect(throws: PIIError.self) { try NameRecognizer(tagger: Failing()).findings(in: PIIText("x")) }
    }
}
