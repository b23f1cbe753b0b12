import KindredCore
import SwiftUI

/// Today: a check-in in two taps (a mood, then save), and recent ones.
struct TodayView: View {
    @EnvironmentObject var model: AppModel
    @State private var mood: Int64?
    @State private var note = ""
    @State private var message: String?

    var body: some View {
        let _ = model.version
        let recent = (try? model.kindred.checkIns(since: nil, until: nil)) ?? []
        NavigationStack {
            Form {
                Section(NSLocalizedString("today_title", comment: "")) {
                    HStack {
                        ForEach(1...5, id: \.self) { m in
                            let words = NSLocalizedString("mood_\(m)", comment: "")
                            Button(words) { mood = Int64(m) }
                                .buttonStyle(.bordered)
                                .tint(mood == Int64(m) ? .accentColor : .gray)
                                .accessibilityLabel(localized("mood_button_description", words))
                        }
                    }
                    TextField(NSLocalizedString("checkin_note", comment: ""), text: $note)
                    Button(NSLocalizedString("checkin_save", comment: "")) { save() }
                        .disabled(mood == nil)
                    if let message { Text(message) }
                }
                Section(NSLocalizedString("today_recent", comment: "")) {
                    ForEach(recent.suffix(7).reversed(), id: \.id) { c in
                        Text("\(c.occurredAt.prefix(16))  \(NSLocalizedString("mood_\(c.mood)", comment: ""))  \(c.note ?? "")")
                    }
                }
            }
            .navigationTitle(NSLocalizedString("tab_today", comment: ""))
        }
    }

    private func save() {
        guard let mood else {
            message = NSLocalizedString("checkin_pick_mood", comment: "")
            return
        }
        do {
            _ = try model.kindred.addCheckIn(checkIn: NewCheckIn(occurredAt: nil, mood: mood, energy: nil, tags: [],
                                                                 note: note.isEmpty ? nil : note))
            message = NSLocalizedString("checkin_saved", comment: "")
            self.mood = nil
            note = ""
            model.changed()
        } catch {
            message = error.localizedDescription
        }
    }
}
