import BackgroundTasks
import KindredCore
import LocalAuthentication
import SwiftUI

/// The app: first run or the lock first (if on), then five tabs. Logic
/// lives in the Rust core; these views only show it. While the app is not
/// active (the app switcher, a call coming in) a plain cover hides what is
/// on screen, and after time in the background the lock asks again.
@main
struct KindredApp: App {
    @StateObject private var launcher = Launcher()
    @Environment(\.scenePhase) private var scenePhase
    @AppStorage("app_lock") private var appLock = false
    /// Seconds in the background before the lock asks again.
    @AppStorage("relock_after") private var relockAfter = 60
    @State private var unlocked = false
    @State private var backgroundSince: Date?

    init() {
        BackgroundSync.register()
    }

    var body: some Scene {
        WindowGroup {
            ZStack {
                content
                if scenePhase != .active {
                    PrivacyCover()
                }
            }
            .onAppear {
                launcher.start()
                BackgroundSync.schedule()
            }
            .onChange(of: scenePhase) { phase in sceneChanged(phase) }
        }
    }

    @ViewBuilder private var content: some View {
        switch launcher.phase {
        case .starting:
            ProgressView()
        case .firstRun:
            FirstRunView(launcher: launcher)
        case .cannotOpen(let words):
            VStack(spacing: 16) {
                Text(words).multilineTextAlignment(.center)
                Button(NSLocalizedString("sync_try_again", comment: "")) { launcher.start() }
            }
            .padding()
        case .ready(let model):
            if appLock && !unlocked && Lock.canAsk {
                VStack(spacing: 16) {
                    Text(NSLocalizedString("lock_prompt_title", comment: "")).font(.title2)
                    // Cancelled or failed: this button stays, the screen never goes blank.
                    Button(NSLocalizedString("lock_prompt_title", comment: "")) { unlock() }
                        .buttonStyle(.borderedProminent)
                }
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
    }

    /// Re-lock on the way back from the background, once enough time passed.
    private func sceneChanged(_ phase: ScenePhase) {
        switch phase {
        case .background:
            backgroundSince = Date()
        case .active:
            if let since = backgroundSince, Date().timeIntervalSince(since) >= Double(relockAfter) {
                unlocked = false
            }
            backgroundSince = nil
        default:
            break
        }
    }

    /// Face ID, Touch ID or the phone's passcode.
    private func unlock() {
        LAContext().evaluatePolicy(.deviceOwnerAuthentication,
                                   localizedReason: NSLocalizedString("lock_prompt_title", comment: "")) { ok, _ in
            DispatchQueue.main.async { if ok { unlocked = true } }
        }
    }
}

enum Lock {
    /// The phone can ask for Face ID, Touch ID or its passcode. Without a
    /// passcode set up there is nothing to ask with, so the app never locks
    /// the person out.
    static var canAsk: Bool {
        var error: NSError?
        return LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: &error)
    }
}

/// What the app switcher shows instead of the person's words.
struct PrivacyCover: View {
    var body: some View {
        ZStack {
            Color(.systemBackground).ignoresSafeArea()
            VStack(spacing: 12) {
                Image(systemName: "leaf").font(.system(size: 48))
                Text(NSLocalizedString("app_name", comment: "")).font(.title)
            }
            .accessibilityHidden(true)
        }
    }
}
