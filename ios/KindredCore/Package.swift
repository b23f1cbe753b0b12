// swift-tools-version:5.9
// Kindred's core for iOS: the XCFramework built by ../build-xcframework.sh
// and the Swift that uniffi generates for it, plus a thin Swift layer.
import PackageDescription

let package = Package(
    name: "KindredCore",
    platforms: [.iOS(.v16)],
    products: [.library(name: "KindredCore", targets: ["KindredCore"])],
    targets: [
        .binaryTarget(name: "KindredFFIFFI", path: "KindredFFIFFI.xcframework"),
        .target(name: "KindredCore", dependencies: ["KindredFFIFFI"], path: "Sources/KindredCore"),
    ]
)
