import Foundation
import Security

/// The storage key, kept in the iOS Keychain: 32 random bytes made once,
/// readable only on this device and only after its first unlock (so
/// background sync works while the phone is locked; never synced to iCloud,
/// never in backups).
public final class KeychainKeys: KeyProvider {
    private let service = "org.kindred.storage-key"

    public init() {}

    public func storageKey() throws -> Data {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecReturnData as String: true,
        ]
        var item: CFTypeRef?
        if SecItemCopyMatching(query as CFDictionary, &item) == errSecSuccess, let data = item as? Data {
            return data
        }
        var key = Data(count: 32)
        let status = key.withUnsafeMutableBytes { SecRandomCopyBytes(kSecRandomDefault, 32, $0.baseAddress!) }
        guard status == errSecSuccess else {
            throw KeyProviderError.Unavailable // arrives as KindredError.KeyUnavailable
        }
        query.removeValue(forKey: kSecReturnData as String)
        query[kSecValueData as String] = key
        query[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        guard SecItemAdd(query as CFDictionary, nil) == errSecSuccess else {
            throw KeyProviderError.Unavailable
        }
        return key
    }
}
