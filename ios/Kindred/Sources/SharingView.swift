import CoreImage.CIFilterBuiltins
import KindredCore
import SwiftUI

/// Sharing and devices: a QR code for another of my devices (which joins
/// from its own first run, scanning it), inviting a worker with a short code and comparing the string, what
/// is shared with whom, ending a share, removing a lost device.
struct SharingView: View {
    @EnvironmentObject var model: AppModel
    @State private var offer: String?
    /// A new device asked with the offer: its code, until the person says yes or "Not my device".
    @State private var pairAsk: PairRequestRecord?
    @State private var invite: InviteHandle?
    @State private var joining: JoinHandle?
    @State private var code = ""
    @State private var sas: SasRecord?
    @State private var problem: String?

    private func qr(_ text: String) -> Image {
        let f = CIFilter.qrCodeGenerator()
        f.message = Data(text.utf8)
        let img = f.outputImage!.transformed(by: CGAffineTransform(scaleX: 8, y: 8))
        let cg = CIContext().createCGImage(img, from: img.extent)!
        return Image(decorative: cg, scale: 1)
    }

    var body: some View {
        let _ = model.version
        let shares = (try? model.kindred.shares()) ?? []
        let devices = ((try? model.kindred.devices()) ?? []).filter { !$0.thisDevice }
        NavigationStack {
            Form {
                Section {
                    Button(NSLocalizedString("pair_show_qr", comment: "")) {
                        guard let o = try? model.kindred.pairOffer(ttlSecs: 600) else { return }
                        offer = o
                        pairAsk = nil
                        Task {
                            // Nobody is added yet: the person compares the codes first.
                            pairAsk = try? await model.kindred.pairWait(offer: o, timeoutSecs: 600)
                            if pairAsk == nil { offer = nil }
                        }
                    }
                    if let ask = pairAsk, let o = offer {
                        Text(localized("pair_asks", ask.name))
                        Text(NSLocalizedString("pair_code_check", comment: ""))
                        Text(ask.code.digits).font(.largeTitle.monospaced())
                        Text(ask.code.emoji.joined(separator: "  ")).font(.largeTitle)
                        Button(NSLocalizedString("pair_yes", comment: "")) {
                            Task {
                                do { _ = try await model.kindred.pairAnswer(offer: o, yes: true) } catch { problem = error.localizedDescription }
                                pairAsk = nil; offer = nil; model.changed()
                            }
                        }
                        Button(NSLocalizedString("pair_not_mine", comment: "")) {
                            Task {
                                _ = try? await model.kindred.pairAnswer(offer: o, yes: false)
                                pairAsk = nil; offer = nil; problem = NSLocalizedString("pair_not_added", comment: "")
                            }
                        }
                    } else if let offer {
                        qr(offer).interpolation(.none).resizable().frame(width: 240, height: 240)
                            .accessibilityLabel(NSLocalizedString("pair_qr_description", comment: ""))
                    }
                    if let offer, pairAsk == nil {
                        // The same offer as text, for a device without a camera
                        // (joining happens in that device's first run).
                        Text(NSLocalizedString("pair_offer_text", comment: "")).font(.footnote)
                        Text(offer).font(.footnote.monospaced()).textSelection(.enabled)
                    }
                }
                Section {
                    Button(NSLocalizedString("invite_create", comment: "")) {
                        Task {
                            do {
                                let i = try await model.kindred.inviteCreate(space: nil, role: "writer")
                                invite = i
                                sas = try await i.waitForSas(timeoutSecs: 600)
                            } catch { problem = error.localizedDescription }
                        }
                    }
                    if let invite { Text(invite.code()).font(.title2.monospaced()) }
                    TextField(NSLocalizedString("invite_code_hint", comment: ""), text: $code)
                    Button(NSLocalizedString("invite_join", comment: "")) {
                        Task {
                            do {
                                let j = try await model.kindred.inviteJoin(code: code)
                                joining = j
                                sas = try await j.waitForSas(timeoutSecs: 600)
                            } catch { problem = error.localizedDescription }
                        }
                    }
                    if let sas {
                        Text(localized("sas_compare", ""))
                        Text(sas.digits).font(.largeTitle.monospaced())
                        Text(sas.emoji.joined(separator: "  ")).font(.largeTitle)
                        Text(NSLocalizedString("sas_both", comment: "")).font(.footnote)
                        Button(NSLocalizedString("sas_match", comment: "")) {
                            Task {
                                do {
                                    if let invite { _ = try await invite.confirm(timeoutSecs: 600) }
                                    if let joining { _ = try await joining.confirm(timeoutSecs: 600) }
                                } catch { problem = error.localizedDescription }
                                self.sas = nil; invite = nil; joining = nil; model.changed()
                            }
                        }
                        Button(NSLocalizedString("sas_differ", comment: ""), role: .destructive) {
                            Task {
                                try? await invite?.decline()
                                try? await joining?.decline()
                                self.sas = nil; invite = nil; joining = nil
                            }
                        }
                    }
                    if let problem { Text(problem) }
                }
                Section {
                    if shares.isEmpty { Text(NSLocalizedString("share_nothing", comment: "")) }
                    ForEach(shares, id: \.space) { s in
                        ForEach(s.members.filter { !$0.mine }, id: \.fingerprint) { m in
                            Text(localized("share_with", m.name, s.goalIds.count))
                        }
                        Button(NSLocalizedString("share_end", comment: ""), role: .destructive) {
                            Task { _ = try? await model.kindred.endShare(space: s.space, member: nil); model.changed() }
                        }
                    }
                    ForEach(devices, id: \.fingerprint) { d in
                        HStack {
                            Text("\(d.name) (\(d.role))")
                            Spacer()
                            Button(NSLocalizedString("device_remove", comment: ""), role: .destructive) {
                                Task { _ = try? await model.kindred.removeDevice(fingerprint: d.fingerprint); model.changed() }
                            }
                        }
                    }
                }
            }
            .navigationTitle(NSLocalizedString("sharing_title", comment: ""))
        }
    }
}
