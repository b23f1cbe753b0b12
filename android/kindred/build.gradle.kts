// The native core for Android: the generated Kotlin bindings plus the
// KindredStore wrapper (the same sources the Maven build compiles and
// tests), and libkindred_ffi.so for four ABIs built by cargo-ndk.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.kindred.core"
    compileSdk = 35
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].apply {
        java.srcDirs(
            "../../bindings/kotlin/src/main/kotlin",
            "../../bindings/kotlin/target/generated-sources/uniffi",
        )
        jniLibs.srcDir(layout.buildDirectory.dir("jniLibs"))
    }
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
    api("net.java.dev.jna:jna:5.17.0@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}

// cargo-ndk builds the library for every ABI a phone may have; the
// bindings are generated from the host build first (scripts/bindings.sh).
val rustRoot = rootDir.resolve("..")
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = rustRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64", "-t", "x86",
        "-o", layout.buildDirectory.dir("jniLibs").get().asFile.path,
        "build", "--profile", "mobile", "-p", "kindred-ffi", "--lib",
    )
}
val bindings by tasks.registering(Exec::class) {
    workingDir = rustRoot
    commandLine("./scripts/bindings.sh")
}
tasks.named("preBuild") { dependsOn(bindings, cargoNdk) }
