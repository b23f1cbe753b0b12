import BackgroundTasks
import KindredCore
import LocalAuthentication
import SwiftUI

/// The app: the lock first (if on), then five tabs. Logic lives in the
/// Rust core; these views only show it.
@main
struct KindredApp: App {
    @StateObject private var model = AppModel()
    @AppStorage("app_lock") private var appLock = false
    @State private var unlocked = false

    init() {
        BackgroundSync.register()
    }

    var body: some Scene {
        WindowGroup {
            Group {
                if appLock && !unlocked {
                    Button(NSLocalizedString("lock_prompt_title", comment: "")) { unlock() }
                        .onAppear { unlock() }
                } else {
                    TabView {
                        TodayView().tabItem { Label(NSLocalizedString("tab_today", comment: ""), systemImage: "sun.max") }
                        GoalsView().tabItem { Label(NSLocalizedString("tab_goals", comment: ""), systemImage: "flag") }
                        NotesView().tabItem { Label(NSLocalizedString("tab_notes", comment: ""), systemImage: "square.and.pencil") }
                        SharingView().tabItem { Label(NSLocalizedString("tab_sharing", comment: ""), systemImage: "person.2") }
                        SettingsView().tabItem { Label(NSLocalizedString("tab_settings", comment: ""), systemImage: "gearshape") }
                    }
                    .environmentObject(model)
                }
            }
            .onAppear { BackgroundSync.schedule() }
        }
    }

    /// Face ID, Touch ID or the phone's passcode (never locked out without biometrics).
    private func unlock() {
        LAContext().evaluatePolicy(.deviceOwnerAuthentication,
                                   localizedReason: NSLocalizedString("lock_prompt_title", comment: "")) { ok, _ in
            DispatchQueue.main.async { unlocked = ok }
        }
    }
}
