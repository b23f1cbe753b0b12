import KindredCore
import SwiftUI

/// First run: "This is my first device", or "I already use Kindred on
/// another device" (scan that device's code with the camera, or paste its
/// text), which makes a joining store and pairs it, so both converge.
struct FirstRunView: View {
    @ObservedObject var launcher: Launcher
    @State private var deviceName = UIDeviceName.current
    @State private var joining = false
    @State private var scanning = false
    @State private var pasted = ""
    @State private var busy = false
    @State private var problem: String?

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField(NSLocalizedString("first_device_name", comment: ""), text: $deviceName)
                }
                if !joining {
                    Section {
                        Button(NSLocalizedString("first_this_is_first", comment: "")) {
                            launcher.createFirst(deviceName: deviceName)
                        }
                        Button(NSLocalizedString("first_other_device", comment: "")) { joining = true }
                    }
                } else {
                    Section {
                        if scanning {
                            QRScannerView(onCode: { code in
                                scanning = false
                                join(code)
                            }, onUnavailable: {
                                scanning = false
                                problem = NSLocalizedString("first_join_how", comment: "")
                            })
                            .frame(height: 280)
                        } else {
                            Button(NSLocalizedString("first_scan", comment: "")) {
                                problem = nil
                                scanning = true
                            }
                        }
                        TextField(NSLocalizedString("first_paste", comment: ""), text: $pasted, axis: .vertical)
                            .textInputAutocapitalization(.never)
                            .autocorrectionDisabled()
                        Button(NSLocalizedString("first_join", comment: "")) { join(pasted) }
                            .disabled(pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || busy)
                        if busy {
                            HStack {
                                ProgressView()
                                Text(NSLocalizedString("first_joining", comment: ""))
                            }
                            if let code = launcher.pairCode {
                                Text(NSLocalizedString("first_pair_code", comment: ""))
                                Text(code.digits).font(.largeTitle.monospaced())
                                Text(code.emoji.joined(separator: "  ")).font(.largeTitle)
                            }
                        }
                        if let problem { Text(problem) }
                    }
                }
            }
            .navigationTitle(NSLocalizedString("first_welcome", comment: ""))
        }
    }

    private func join(_ offer: String) {
        busy = true
        problem = nil
        Task {
            problem = await launcher.join(offer: offer, deviceName: deviceName)
            busy = false
        }
    }
}
