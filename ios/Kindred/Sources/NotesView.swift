import KindredCore
import SwiftUI

/// Notes: contacts, an editor that saves its draft as you type, signing;
/// for the person, notes shared with them with room for their own words.
struct NotesView: View {
    @EnvironmentObject var model: AppModel
    @State private var contactName = ""
    @State private var contactId: String?
    @State private var narrative = ""
    @State private var noteId: String?
    @State private var substanceUse = false
    @State private var comment = ""
    @State private var saved: String?
    /// When the visit began (the editor opening) and ended: half an hour
    /// later by default, never the same instant.
    @State private var start = Date()

    var body: some View {
        let _ = model.version
        let contacts = (try? model.kindred.contacts()) ?? []
        let notes = (try? model.kindred.notes(contactId: nil)) ?? []
        NavigationStack {
            Form {
                Section(NSLocalizedString("note_contact", comment: "")) {
                    TextField(NSLocalizedString("note_contact", comment: ""), text: $contactName)
                    Button(NSLocalizedString("note_new", comment: "")) {
                        contactId = try? model.kindred.addContact(name: contactName)
                        contactName = ""; model.changed()
                    }.disabled(contactName.isEmpty)
                    Picker(NSLocalizedString("note_contact", comment: ""), selection: $contactId) {
                        ForEach(contacts, id: \.id) { c in Text(c.name).tag(Optional(c.id)) }
                    }
                }
                Section(NSLocalizedString("note_narrative", comment: "")) {
                    TextEditor(text: $narrative)
                        .frame(minHeight: 120)
                        .task(id: narrative) {
                            // Autosave: two seconds after the last keystroke.
                            try? await Task.sleep(nanoseconds: 2_000_000_000)
                            persist()
                        }
                    Toggle(NSLocalizedString("note_substance_use", comment: ""), isOn: $substanceUse)
                    Button(NSLocalizedString("note_sign", comment: "")) {
                        persist()
                        if let noteId { try? model.kindred.signNote(id: noteId) }
                        noteId = nil; narrative = ""; substanceUse = false; start = Date(); model.changed()
                    }.disabled(narrative.isEmpty || contactId == nil)
                    if let saved { Text(saved).font(.footnote) }
                }
                ForEach(notes.reversed(), id: \.id) { n in
                    Section {
                        Text(n.narrative)
                        if n.status == "signed" {
                            Text(n.signatureOk == false
                                 ? NSLocalizedString("note_words_changed", comment: "")
                                 : localized("note_signed_by", n.signedBy ?? "", n.signedAt ?? ""))
                                .font(.footnote)
                        }
                        ForEach(n.comments, id: \.id) { c in Text("\(c.by): \(c.text)") }
                        if n.sharedIn != nil {
                            TextField(NSLocalizedString("note_comment_hint", comment: ""), text: $comment)
                            Button(NSLocalizedString("note_comment_hint", comment: "")) {
                                _ = try? model.kindred.commentNote(id: n.id, text: comment)
                                comment = ""; model.changed()
                            }
                            Button(NSLocalizedString("note_review", comment: "")) {
                                try? model.kindred.reviewNote(id: n.id); model.changed()
                            }
                        }
                    }
                }
            }
            .navigationTitle(NSLocalizedString("notes_title", comment: ""))
            .onDisappear { persist() }
        }
    }

    private func persist() {
        guard let contactId, !narrative.isEmpty else { return }
        let iso = ISO8601DateFormatter()
        let begin = iso.string(from: start)
        let end = iso.string(from: start.addingTimeInterval(30 * 60))
        if let noteId {
            try? model.kindred.updateNote(id: noteId, changes: NoteChanges(narrative: narrative, substanceUse: substanceUse))
        } else {
            noteId = try? model.kindred.addNote(note: NewNote(contactId: contactId, contactType: "in_person",
                setting: "community", start: begin, end: end, goalsAddressed: [], peerActivities: [],
                narrative: narrative, ownWords: nil, strengths: nil, nextSteps: nil, nextContact: nil,
                substanceUse: substanceUse))
        }
        saved = NSLocalizedString("note_draft_saved", comment: "")
    }
}
