// The same sources Maven builds and tests (android/shared/pom.xml), as an
// Android library for the app.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.kindred.app"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    sourceSets["main"].java.srcDirs("src/main/kotlin")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

// Kotlin 2.2: compilerOptions (kotlinOptions is an error under this plugin).
kotlin {
    compilerOptions { jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17) }
}

// src/test is the Maven suite (JUnit 5 against the native library); Gradle runs none of it.
tasks.matching { "UnitTest" in it.name }.configureEach { enabled = false }

// Strings.english reads strings.xml from the classpath, where Maven puts it;
// on Android the app provides its resources instead (ResourceWords).

dependencies {
    api(project(":kindred"))
    api("com.google.zxing:core:3.5.3")
}
