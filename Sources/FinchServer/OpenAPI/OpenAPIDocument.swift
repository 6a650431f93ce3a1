/// The OpenAPI 3.1 document of the service (`Sources/FinchServer/OpenAPI/openapi.yaml`), compiled into
/// the binary. It is the contract: a test checks every route of the application against it.
public enum OpenAPIDocument {
    /// The document's bytes (UTF-8 YAML).
    public static var bytes: [UInt8] { PackageResources.openapi_yaml }

    /// The document as text.
    public static var text: String { String(decoding: PackageResources.openapi_yaml, as: UTF8.self) }
}
