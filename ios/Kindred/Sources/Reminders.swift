import Foundation
import KindredCore
import UserNotifications

/// Schedules the moments the core lists (`nextReminders`): check-in times,
/// goal steps due, a worker's follow-ups. Each request carries its key as
/// its identifier and the title "Kindred" only, so a locked screen says
/// nothing of what it is about. Replaces what was pending on each refresh;
/// iOS keeps at most 64 pending requests, so at most 48 are asked for.
/// (Written against uniffi's generated Swift; not built on these machines.)
enum Reminders {
    static let days: UInt32 = 8
    static let maxPending = 48

    static func refresh(_ kindred: Kindred, now: Date = Date(), zone: TimeZone = .current) {
        let stamp = ISO8601DateFormatter().string(from: now)
        guard let moments = try? kindred.nextReminders(now: stamp, zone: zone.identifier, horizonDays: days) else { return }
        let center = UNUserNotificationCenter.current()
        center.removeAllPendingNotificationRequests()
        let parser = ISO8601DateFormatter()
        for m in moments.prefix(maxPending) {
            guard let at = parser.date(from: m.at), at > now else { continue }
            let content = UNMutableNotificationContent()
            content.title = m.title
            let trigger = UNTimeIntervalNotificationTrigger(timeInterval: at.timeIntervalSince(now), repeats: false)
            center.add(UNNotificationRequest(identifier: m.key, content: content, trigger: trigger))
        }
    }
}
