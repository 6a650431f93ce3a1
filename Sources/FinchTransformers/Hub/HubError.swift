/// Why a model could not be found, fetched or trusted.
public enum HubError: Error, Equatable, CustomStringConvertible {
    /// `--model` text that is neither a directory nor `hf:ORG/NAME[@revision]`.
    case invalidReference(String, reason: String)
    /// A local model path that is not a directory.
    case notADirectory(path: String)
    /// The hub has no such repository or revision (HTTP 404).
    case notFound(repository: String, revision: String)
    /// The hub refused access (HTTP 401/403): a private or gated repository.
    case unauthorized(repository: String)
    /// Any other unexpected HTTP status.
    case httpStatus(url: String, status: Int)
    /// The request did not complete (connection refused, reset, timed out).
    case transport(url: String, reason: String)
    /// The repository listing is not the JSON the hub serves.
    case invalidListing(url: String, reason: String)
    /// The hub gave no size or checksum for `file`, so a download could not be verified.
    case missingMetadata(file: String, what: String)
    /// The listing and the file's headers disagree about `field`.
    case metadataMismatch(file: String, field: String, listing: String, headers: String)
    /// Fewer or more bytes arrived than the hub announced (an interrupted or
    /// padded transfer). The partial file was deleted.
    case sizeMismatch(file: String, expected: Int, received: Int)
    /// The bytes that arrived do not hash to the hub's checksum (corruption).
    /// The file was deleted.
    case checksumMismatch(file: String, algorithm: String, expected: String, actual: String)
    /// The cache directory could not be written.
    case cacheUnwritable(path: String, reason: String)
    /// The repository holds no file Finch can load.
    case noUsableFiles(repository: String, revision: String)
    /// `FINCH_HUB_ENDPOINT` is set to something that is not a hub address.
    case invalidEndpoint(String, reason: String)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .invalidReference(text, reason): return "model reference \"\(text)\": \(reason)"
        case let .notADirectory(path): return "\(path): not a model directory"
        case let .notFound(repository, revision): return "hub: repository \(repository) at revision \(revision) not found"
        case let .unauthorized(repository):
            return "hub: access to \(repository) denied (private or gated; set HF_TOKEN to a token with access)"
        case let .httpStatus(url, status): return "\(url): HTTP status \(status)"
        case let .transport(url, reason): return "\(url): \(reason)"
        case let .invalidListing(url, reason): return "\(url): unexpected repository listing: \(reason)"
        case let .missingMetadata(file, what): return "hub: no \(what) for \(file); the download cannot be verified"
        case let .metadataMismatch(file, field, listing, headers):
            return "hub: \(file): \(field) is \(listing) in the repository listing but \(headers) in the file's headers"
        case let .sizeMismatch(file, expected, received):
            return "download of \(file) incomplete or corrupt: expected \(expected) bytes, received \(received) (discarded; run again)"
        case let .checksumMismatch(file, algorithm, expected, actual):
            return "download of \(file) corrupt: \(algorithm) \(actual), expected \(expected) (discarded; run again)"
        case let .cacheUnwritable(path, reason): return "cache \(path): \(reason)"
        case let .noUsableFiles(repository, revision):
            return "hub: \(repository)@\(revision) holds no config.json / model.safetensors to load"
        case let .invalidEndpoint(text, reason): return "FINCH_HUB_ENDPOINT \"\(text)\": \(reason)"
        }
    }
}
