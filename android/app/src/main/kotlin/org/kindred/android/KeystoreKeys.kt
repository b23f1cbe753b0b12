package org.kindred.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.io.File
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.kindred.StorageKeys

/**
 * The storage key, kept by the Android Keystore: a random 32-byte key is
 * made once, sealed with an AES-256-GCM key that lives in the Keystore
 * (hardware-backed where the phone has it, never exportable), and stored
 * sealed in the app's private files. The raw key exists only in memory,
 * only while Kindred opens its data.
 */
class KeystoreKeys(context: Context) : StorageKeys {
    private val sealed = File(context.noBackupFilesDir, "storage.key.sealed")

    private fun wrappingKey(): SecretKey {
        val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (ks.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        gen.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return gen.generateKey()
    }

    @Synchronized
    override fun storageKey(): ByteArray {
        val key = wrappingKey()
        if (sealed.exists()) {
            val bytes = sealed.readBytes()
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, bytes, 0, 12))
            return cipher.doFinal(bytes, 12, bytes.size - 12)
        }
        val fresh = ByteArray(32).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key)
        val out = cipher.iv + cipher.doFinal(fresh)
        val tmp = File(sealed.parentFile, sealed.name + ".tmp")
        tmp.writeBytes(out)
        check(tmp.renameTo(sealed)) { "could not store the sealed key" }
        return fresh
    }

    private companion object {
        const val ALIAS = "kindred-storage-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
    }
}
