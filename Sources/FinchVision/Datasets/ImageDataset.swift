import FinchSupport
import Foundation

/// Labelled image files: torchvision's `ImageFolder` layout (one subfolder per class,
/// `train/cat/*.png`) or a CSV list with columns `path,label`. Only the list is read here;
/// images are decoded by `ImageBatcher` or `ImageSet.decode`.
public struct ImageDataset: Sendable {
    /// Class names; a sample's `label` indexes this.
    public let classes: [String]
    /// The images in a fixed order (folder layout: class by class, files sorted, as torchvision).
    public let samples: [LabeledImage]
    /// The folder or CSV file, as the caller named it.
    public let source: String

    /// File name extensions read as images (case-insensitive), as torchvision's `IMG_EXTENSIONS`
    /// restricted to the formats Finch decodes; other files are skipped as there.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Wraps parts already read.
    public init(classes: [String], samples: [LabeledImage], source: String) {
        self.classes = classes
        self.samples = samples
        self.source = source
    }

    /// A folder in the `ImageFolder` layout or a CSV list, told apart by what `path` is.
    /// `classes`: the model's classes (for dev, test or prediction data); every class found must
    /// be one of them, and they keep their order. Without them, classes are the folder names
    /// (or CSV labels) sorted by Unicode code points, as Python's `sorted` and torchvision do.
    public static func load(_ path: String, classes: [String]? = nil) throws -> ImageDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageDatasetError.notFound(path: path)
        }
        return isDirectory.boolValue ? try folder(path, classes: classes) : try csv(path, classes: classes)
    }

    /// Python's string order: by Unicode scalar values.
    static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// torchvision's `ImageFolder`: each subfolder of `root` is a class; its image files
    /// (found recursively, following `os.walk` order: sorted folders, sorted names) are samples.
    public static func folder(_ root: String, classes known: [String]? = nil) throws -> ImageDataset {
        let fm = FileManager.default
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: root)
        } catch {
            throw ImageDatasetError.notFound(path: root)
        }
        let found = names.filter { name in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: rootURL.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted(by: pythonOrder)
        guard !found.isEmpty else { throw ImageDatasetError.noClassFolders(directory: root) }
        let classes = try classList(found: found, known: known, file: root, line: nil)
        var samples: [LabeledImage] = []
        for name in found {
            let label = classes.firstIndex(of: name)!
            let files = try imageFiles(under: rootURL.appendingPathComponent(name, isDirectory: true))
            guard !files.isEmpty else { throw ImageDatasetError.emptyClass(directory: root, className: name) }
            let prefix = (root as NSString).appendingPathComponent(name)
            samples += files.map { LabeledImage(path: (prefix as NSString).appendingPathComponent($0), label: label) }
        }
        if known == nil && classes.count == 1 { throw ImageDatasetError.singleClass(path: root, className: classes[0]) }
        return ImageDataset(classes: classes, samples: samples, source: root)
    }

    /// Image files under `directory` as relative paths, in `sorted(os.walk(...))` order. A folder
    /// that cannot be read is an error naming it, not an empty class.
    static func imageFiles(under directory: URL) throws -> [String] {
        let fm = FileManager.default
        let entries: [String]
        do {
            entries = try fm.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ImageDatasetError.notFound(path: directory.path)
        }
        var files: [String] = []
        var folders: [String] = []
        for name in entries {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                folders.append(name)
            } else if imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                files.append(name)
            }
        }
        var out = files.sorted(by: pythonOrder)
        for folder in folders.sorted(by: pythonOrder) {
            out += try imageFiles(under: directory.appendingPathComponent(folder, isDirectory: true)).map { folder + "/" + $0 }
        }
        return out
    }

    /// The classes to use: `found` sorted, or the model's `known` after checking each found one.
    static func classList(found: [String], known: [String]?, file: String, line: Int?) throws -> [String] {
        guard let known else { return found }
        for name in found where !known.contains(name) {
            throw ImageDatasetError.unknownClass(file: file, line: line, className: name, known: known)
        }
        return known
    }
}
