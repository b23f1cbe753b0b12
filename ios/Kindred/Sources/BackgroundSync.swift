import BackgroundTasks
import KindredCore

/// Sync in the background with BackgroundTasks: iOS decides when; the
/// words are on the phone either way.
enum BackgroundSync {
    static let id = "org.kindred.sync"

    static func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: id, using: nil) { task in
            schedule()
            let work = Task {
                let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
                    .appendingPathComponent("kindred")
                if let k = try? Kindred.open(dataDir: dir.path, keys: KeychainKeys()) {
                    _ = try? await k.sync()
                    k.closeData()
                }
                task.setTaskCompleted(success: true)
            }
            task.expirationHandler = { work.cancel() }
        }
    }

    static func schedule() {
        let req = BGAppRefreshTaskRequest(identifier: id)
        req.earliestBeginDate = Date(timeIntervalSinceNow: 30 * 60)
        try? BGTaskScheduler.shared.submit(req)
    }
}
