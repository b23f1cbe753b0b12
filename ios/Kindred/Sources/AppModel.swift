import Foundation
import KindredCore

/// Where the app is before its data is open: opening, first run, or a
/// problem shown in words (never a crash: there is no `try!` here).
@MainActor
final class Launcher: ObservableObject {
    enum Phase {
        case starting
        case firstRun
        case ready(AppModel)
        case cannotOpen(String)
    }

    @Published private(set) var phase: Phase = .starting
    /// While joining another device: the code this screen shows (the other device shows the same one).
    @Published var pairCode: PairCodeRecord?

    static var dataDir: URL {
        FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("kindred")
    }

    private var exists: Bool {
        FileManager.default.fileExists(atPath: Self.dataDir.appendingPathComponent("kindred.db").path)
    }

    /// Opens the data if it is there; otherwise first run.
    func start() {
        guard exists else {
            phase = .firstRun
            return
        }
        do {
            let k = try Kindred.open(dataDir: Self.dataDir.path, keys: KeychainKeys())
            phase = .ready(AppModel(kindred: k))
        } catch {
            phase = .cannotOpen(words(for: error))
        }
    }

    /// "This is my first device".
    func createFirst(deviceName: String) {
        do {
            try FileManager.default.createDirectory(at: Self.dataDir, withIntermediateDirectories: true)
            let k = try Kindred.create(dataDir: Self.dataDir.path, keys: KeychainKeys(), deviceName: deviceName)
            phase = .ready(AppModel(kindred: k))
        } catch {
            phase = .cannotOpen(words(for: error))
        }
    }

    /// "I already use Kindred on another device": a joining store, then the
    /// scanned (or pasted) offer. On a problem the half-made data is removed
    /// so the person can simply start again.
    func join(offer: String, deviceName: String) async -> String? {
        do {
            try FileManager.default.createDirectory(at: Self.dataDir, withIntermediateDirectories: true)
            let k = try Kindred.createJoining(dataDir: Self.dataDir.path, keys: KeychainKeys(), deviceName: deviceName)
            do {
                let text = offer.trimmingCharacters(in: .whitespacesAndNewlines)
                pairCode = try await k.pairJoinRequest(offer: text)
                _ = try await k.pairJoinWait(offer: text, timeoutSecs: 120)
                pairCode = nil
            } catch {
                pairCode = nil
                k.closeData()
                try? FileManager.default.removeItem(at: Self.dataDir)
                return words(for: error)
            }
            phase = .ready(AppModel(kindred: k))
            return nil
        } catch {
            try? FileManager.default.removeItem(at: Self.dataDir)
            return words(for: error)
        }
    }

    private func words(for error: Error) -> String {
        switch error {
        case KindredError.KeyUnavailable: return NSLocalizedString("error_key", comment: "")
        case KindredError.Offline: return NSLocalizedString("error_offline", comment: "")
        case KindredError.Pairing: return NSLocalizedString("error_pairing", comment: "")
        default: return NSLocalizedString("error_something", comment: "")
        }
    }
}

/// Holds the open Kindred data and tells views to refresh when something
/// changed (a local write or what a sync brought: the core's listeners).
@MainActor
final class AppModel: ObservableObject {
    let kindred: Kindred
    @Published var version = 0
    private var watch: WatchHandle?
    private var listening: ListenerHandle?

    init(kindred: Kindred) {
        self.kindred = kindred
        listening = kindred.addChangeListener(listener: Listener(model: self))
        if (try? kindred.server()) != nil {
            watch = kindred.watch(pollSecs: 300)
        }
        Reminders.refresh(kindred)
    }

    /// Something changed (here or synced in): the screens redraw, and the
    /// next reminders are scheduled again (a step done, a time moved).
    func changed() {
        version += 1
        Reminders.refresh(kindred)
    }

    final class Listener: ChangeListener {
        weak var model: AppModel?
        init(model: AppModel) { self.model = model }
        func onChange(event: ChangeEvent) {
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
