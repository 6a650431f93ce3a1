import ArgumentParser

/// `--json`: print the result as one JSON object per line instead of the text
/// meant for people. Commands whose output is already JSON Lines (tokenize,
/// embed, search) take no `--json`; every command that prints a report does.
struct JSONOutputOption: ParsableArguments {
    @Flag(help: "Print the result as JSON (one object per line) instead of text.")
    var json = false

    init() {}
}
