// The shared Compose screens (android/ui/src/main/kotlin, the sources Maven
// builds and tests against Compose for desktop), compiled here against
// androidx Compose as an Android library for the app. No Android SDK
// import is allowed in these sources; the app brings the platform.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.kindred.ui"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    sourceSets["main"].java.srcDirs("src/main/kotlin")
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    compilerOptions { jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17) }
}

// src/test holds the desktop UI suite (Compose for desktop, the native
// library over JNA): Maven runs it; there is nothing for Gradle to run.
tasks.matching { "UnitTest" in it.name }.configureEach { enabled = false }

dependencies {
    api(project(":shared"))
    api(platform("androidx.compose:compose-bom:2025.06.00"))
    api("androidx.compose.material3:material3")
    api("androidx.compose.ui:ui")
    api("androidx.compose.foundation:foundation")
}
