import Foundation
import KindredCore

/// Holds the open Kindred data and tells views to refresh when sync brings
/// something new (the core's change listener).
@MainActor
final class AppModel: ObservableObject {
    let kindred: Kindred
    @Published var version = 0
    private var watch: WatchHandle?

    init() {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("kindred")
        let keys = KeychainKeys()
        let db = dir.appendingPathComponent("kindred.db")
        if FileManager.default.fileExists(atPath: db.path) {
            kindred = try! Kindred.open(dataDir: dir.path, keys: keys)
        } else {
            kindred = try! Kindred.`init`(dataDir: dir.path, keys: keys, deviceName: UIDeviceName.current)
        }
        kindred.setChangeListener(listener: Listener(model: self))
        if (try? kindred.server()) != nil {
            watch = kindred.watch(pollSecs: 300)
        }
    }

    func changed() { version += 1 }

    final class Listener: ChangeListener {
        weak var model: AppModel?
        init(model: AppModel) { self.model = model }
        func onChange(changes: UInt64) {
            Task { @MainActor in self.model?.changed() }
        }
    }
}

enum UIDeviceName {
    static var current: String { ProcessInfo.processInfo.hostName }
}

/// A shared-logic key with arguments, looked up in Localizable.strings.
func localized(_ key: String, _ args: CVarArg...) -> String {
    String(format: NSLocalizedString(key, comment: ""), arguments: args)
}
