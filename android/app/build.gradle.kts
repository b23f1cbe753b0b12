plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.kindred.android"
    compileSdk = 35
    defaultConfig {
        applicationId = "org.kindred.android"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

// Kotlin 2.2: compilerOptions (kotlinOptions is an error under this plugin).
kotlin {
    compilerOptions { jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17) }
}

dependencies {
    implementation(project(":shared"))
    // The screens, once: the same Compose sources Maven compiles and tests
    // against Compose for desktop (android/ui).
    implementation(project(":ui"))
    // Compose 1.8.2 and Material3 1.3.2: what Compose Multiplatform 1.8.2
    // (the Maven build of android/ui) is made from, so both compile the same API.
    implementation(platform("androidx.compose:compose-bom:2025.06.00"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.foundation:foundation")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.core:core-ktx:1.15.0")
    implementation("androidx.activity:activity-compose:1.9.3") // enableEdgeToEdge (1.8+), setContent
    implementation("androidx.appcompat:appcompat:1.7.0") // the AppCompat theme the legacy fingerprint dialog needs
    implementation("androidx.fragment:fragment-ktx:1.8.5") // FragmentActivity, for BiometricPrompt
    implementation("androidx.lifecycle:lifecycle-viewmodel-ktx:2.8.7") // AndroidViewModel, viewModelScope
    implementation("androidx.work:work-runtime-ktx:2.10.0")
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("com.google.zxing:core:3.5.3")
    implementation("com.journeyapps:zxing-android-embedded:4.3.0")
}
