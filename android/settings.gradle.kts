// The Android app. Built with Gradle and the Android plugin on a machine
// with the Android SDK and NDK (not on the CI machines of this repository,
// which build and test the Kotlin bindings and the shared module with
// Maven instead; see the README).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "Kindred"
include(":kindred", ":shared", ":ui", ":app")
