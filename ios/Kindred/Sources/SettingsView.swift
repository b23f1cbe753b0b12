import KindredCore
import SwiftUI
import UserNotifications

/// Settings: app lock, a gentle reminder, the sync server.
struct SettingsView: View {
    @EnvironmentObject var model: AppModel
    @AppStorage("app_lock") private var appLock = false
    @AppStorage("reminders") private var reminders = false
    @State private var server = ""
    @State private var problem: String?

    var body: some View {
        NavigationStack {
            Form {
                Toggle(isOn: $appLock) {
                    VStack(alignment: .leading) {
                        Text(NSLocalizedString("settings_app_lock", comment: ""))
                        Text(NSLocalizedString("settings_app_lock_detail", comment: "")).font(.footnote)
                    }
                }
                Toggle(NSLocalizedString("settings_reminders", comment: ""), isOn: $reminders)
                    .onChange(of: reminders) { on in schedule(on) }
                TextField(NSLocalizedString("settings_server", comment: ""), text: $server)
                    .textInputAutocapitalization(.never)
                Button(NSLocalizedString("settings_server", comment: "")) {
                    do {
                        try model.kindred.setServer(url: server)
                        problem = nil
                    } catch { problem = error.localizedDescription }
                }
                if let problem { Text(problem) }
            }
            .navigationTitle(NSLocalizedString("settings_title", comment: ""))
            .onAppear { server = (try? model.kindred.server()) ?? "" }
        }
    }

    private func schedule(_ on: Bool) {
        let center = UNUserNotificationCenter.current()
        center.removePendingNotificationRequests(withIdentifiers: ["kindred-reminder"])
        guard on else { return }
        center.requestAuthorization(options: [.alert]) { granted, _ in
            guard granted else { return }
            let content = UNMutableNotificationContent()
            content.body = NSLocalizedString("reminder_text", comment: "")
            var when = DateComponents()
            when.hour = 19
            center.add(UNNotificationRequest(identifier: "kindred-reminder", content: content,
                                             trigger: UNCalendarNotificationTrigger(dateMatching: when, repeats: true)))
        }
    }
}
