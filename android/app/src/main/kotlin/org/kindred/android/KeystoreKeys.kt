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
 * only while Kindred opens its data. [alias] and [sealedName] name the
 * person's own key by default; the empty Kindred a duress PIN opens has its own.
 */
class KeystoreKeys(
    context: Context,
    private val alias: String = ALIAS,
    sealedName: String = "storage.key.sealed",
) : StorageKeys {
    private val sealed = File(context.noBackupFilesDir, sealedName)

    /**
     * Deletes the key for good: the Keystore entry that unseals it, then
     * the sealed copy. Nothing opens the data afterwards, on this phone or
     * from a copy of its files.
     */
    @Synchronized
    fun destroy() {
        val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        if (ks.containsAlias(alias)) ks.deleteEntry(alias)
        if (sealed.exists()) {
            runCatching { sealed.writeBytes(ByteArray(sealed.length().toInt())) }
            check(sealed.delete()) { "could not delete the sealed key" }
        }
    }

    private fun wrappingKey(): SecretKey {
        val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (ks.getKey(alias, null) as? SecretKey)?.let { return it }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        gen.init(
            KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return gen.generateKey()
    }

    @Synchronized
    override fun storageKey(): ByteArray {
        if (!sealed.exists() && hasWrappingKey()) {
            // A wrapping key without its sealed key (deleted half-way): start from a clean entry.
            KeyStore.getInstance("AndroidKeyStore").apply { load(null) }.deleteEntry(alias)
        }
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

    private fun hasWrappingKey(): Boolean = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }.containsAlias(alias)

    private companion object {
        const val ALIAS = "kindred-storage-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
    }
}
