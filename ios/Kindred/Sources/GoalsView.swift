import KindredCore
import SwiftUI

/// Goals: the person's words, steps, progress; rest or let go without judgement.
struct GoalsView: View {
    @EnvironmentObject var model: AppModel
    @State private var title = ""
    @State private var why = ""
    @State private var step = ""

    private func statusKey(_ s: String) -> String {
        ["paused": "goal_status_paused", "achieved": "goal_status_achieved", "let_go": "goal_status_let_go"][s]
            ?? "goal_status_active"
    }

    var body: some View {
        let _ = model.version
        let goals = (try? model.kindred.goals(status: nil)) ?? []
        NavigationStack {
            List {
                Section {
                    TextField(NSLocalizedString("goal_title_hint", comment: ""), text: $title)
                    TextField(NSLocalizedString("goal_why_hint", comment: ""), text: $why)
                    Button(NSLocalizedString("goal_add", comment: "")) {
                        _ = try? model.kindred.addGoal(goal: NewGoal(title: title, why: why.isEmpty ? nil : why,
                                                                     area: nil, targetDate: nil))
                        title = ""; why = ""; model.changed()
                    }.disabled(title.trimmingCharacters(in: .whitespaces).isEmpty)
                }
                ForEach(goals, id: \.id) { g in
                    VStack(alignment: .leading, spacing: 6) {
                        Text(g.title).font(.headline)
                        Text(NSLocalizedString(statusKey(g.status), comment: ""))
                        let done = g.steps.filter { $0.doneAt != nil }.count
                        if g.steps.isEmpty {
                            Text(NSLocalizedString("goal_no_steps", comment: ""))
                        } else {
                            Text(localized("goal_steps_progress", done, g.steps.count))
                            ProgressView(value: Double(done), total: Double(g.steps.count))
                        }
                        HStack {
                            TextField(NSLocalizedString("goal_add_step", comment: ""), text: $step)
                            Button(NSLocalizedString("goal_add_step", comment: "")) {
                                _ = try? model.kindred.addStep(goalId: g.id, text: step, due: nil)
                                step = ""; model.changed()
                            }
                        }
                        HStack {
                            Button(NSLocalizedString("goal_pause", comment: "")) { set(g.id, "paused") }
                            Button(NSLocalizedString("goal_let_go", comment: "")) { set(g.id, "let_go") }
                            Button(NSLocalizedString("goal_resume", comment: "")) { set(g.id, "active") }
                        }.buttonStyle(.borderless)
                    }
                }
            }
            .navigationTitle(NSLocalizedString("goals_title", comment: ""))
        }
    }

    private func set(_ id: String, _ status: String) {
        try? model.kindred.setGoalStatus(id: id, status: status)
        model.changed()
    }
}
