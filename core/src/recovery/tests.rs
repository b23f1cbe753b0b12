use proptest::prelude::*;

use super::*;
use crate::crypto::{EpochKey, wrap_epoch_key};
use kindred_protocol::SpaceId;

fn kit_of(bytes: [u8; 16]) -> RecoveryKit {
    RecoveryKit {
        secret: Zeroizing::new(bytes),
    }
}

#[test]
fn a_known_secret_gives_the_standard_words() {
    // BIP39's published test vector for 16 zero bytes.
    let kit = kit_of([0; 16]);
    assert_eq!(
        kit.words().as_str(),
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
    );
    assert!(kit.qr_text().starts_with("kindred-kit:1:abandon-abandon-"));
}

#[test]
fn words_are_read_as_people_type_them() {
    let kit = RecoveryKit::generate().unwrap();
    let words = kit.words();
    let messy = format!("  {}\n", words.to_uppercase().replace(' ', "\n  "));
    let back = RecoveryKit::from_words(&messy).unwrap();
    assert_eq!(*back.secret, *kit.secret);
    let qr = RecoveryKit::from_qr_text(&kit.qr_text()).unwrap();
    assert_eq!(*qr.secret, *kit.secret);
}

#[test]
fn a_wrong_word_is_caught_with_where_not_what() {
    let kit = kit_of([7; 16]);
    let words: Vec<String> = kit.words().split(' ').map(str::to_owned).collect();
    let with = |i: usize, w: &str| {
        let mut v = words.clone();
        v[i] = w.to_owned();
        v.join(" ")
    };
    let e = RecoveryKit::from_words(&with(4, "quokka")).unwrap_err();
    assert!(
        matches!(
            e,
            Error::RecoveryKit(KitProblem::UnknownWord { position: 5 })
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("word 5"), "{e}");
    assert!(
        !e.to_string().contains("quokka"),
        "the word typed stays out: {e}"
    );
    // A real word in the wrong place: the checksum catches it.
    let other = if words[0] == "zoo" { "abandon" } else { "zoo" };
    let e = RecoveryKit::from_words(&with(0, other)).unwrap_err();
    assert!(
        matches!(e, Error::RecoveryKit(KitProblem::Checksum)),
        "{e:?}"
    );
    let short = words[..11].join(" ");
    assert!(matches!(
        RecoveryKit::from_words(&short),
        Err(Error::RecoveryKit(KitProblem::WordCount { found: 11 }))
    ));
    assert!(matches!(
        RecoveryKit::from_qr_text("https://example.org/abandon"),
        Err(Error::RecoveryKit(KitProblem::NotAKit))
    ));
    assert_eq!(
        format!("{kit:?}"),
        "RecoveryKit(..)",
        "Debug shows nothing of the secret"
    );
}

#[test]
fn the_same_words_are_the_same_member_and_open_what_was_wrapped_to_it() {
    let kit = RecoveryKit::generate().unwrap();
    let keys = kit.keys().unwrap();
    let again = RecoveryKit::from_words(&kit.words())
        .unwrap()
        .keys()
        .unwrap();
    assert_eq!(keys.device_key(), again.device_key());
    assert_eq!(keys.wrap_key().0, again.wrap_key().0);
    assert_ne!(
        keys.device_key(),
        RecoveryKit::generate()
            .unwrap()
            .keys()
            .unwrap()
            .device_key()
    );
    let space = SpaceId([3; 16]);
    let epoch_key = EpochKey::generate().unwrap();
    let wrapped =
        wrap_epoch_key(&epoch_key, &space, 2, &keys.device_key(), &keys.wrap_key()).unwrap();
    assert_eq!(*again.unwrap(&space, 2, &wrapped).unwrap().0, *epoch_key.0);
    assert_eq!(kit.public_key_hex().unwrap().len(), 64);
}

proptest! {
    #[test]
    fn every_secret_survives_words_and_qr(bytes in any::<[u8; 16]>()) {
        let kit = kit_of(bytes);
        prop_assert_eq!(*RecoveryKit::from_words(&kit.words()).unwrap().secret, bytes);
        prop_assert_eq!(*RecoveryKit::from_qr_text(&kit.qr_text()).unwrap().secret, bytes);
    }

    #[test]
    fn a_changed_word_never_reads_back_as_the_same_kit(bytes in any::<[u8; 16]>(), at in 0usize..12, to in 0usize..2048) {
        // A word swapped for another list word passes the 4-bit checksum
        // about one time in 16; it never reads back as the same kit.
        let kit = kit_of(bytes);
        let mut words: Vec<String> = kit.words().split(' ').map(str::to_owned).collect();
        let list = bip39::Language::English.word_list();
        prop_assume!(words[at] != list[to]);
        words[at] = list[to].to_owned();
        if let Ok(other) = RecoveryKit::from_words(&words.join(" ")) {
            prop_assert_ne!(*other.secret, bytes);
        }
    }
}

/// Chi-square of byte counts against a uniform spread.
fn chi_square(counts: &[u32; 256], n: u32) -> f64 {
    let expected = f64::from(n) / 256.0;
    counts
        .iter()
        .map(|c| (f64::from(*c) - expected).powi(2) / expected)
        .sum()
}

#[test]
fn any_two_of_three_shares_bring_the_kit_back() {
    let kit = RecoveryKit::generate().unwrap();
    let shares = kit.split().unwrap();
    let numbers: Vec<u8> = shares.iter().map(KitShare::number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    for (a, b) in [(0, 1), (0, 2), (1, 2), (2, 0)] {
        let typed = [
            KitShare::from_text(&shares[a].text()).unwrap(),
            KitShare::from_text(&format!("{}: {}", b + 1, shares[b].words().as_str())).unwrap(),
        ];
        let back = RecoveryKit::from_shares(&typed).unwrap();
        assert_eq!(*back.secret, *kit.secret);
    }
    // All three work too.
    assert_eq!(
        *RecoveryKit::from_shares(&shares).unwrap().secret,
        *kit.secret
    );
}

/// One share alone says nothing: whatever the secret, each byte of a
/// single share is spread evenly over all 256 values (the flaw this
/// guards against, coefficients never 0, makes a share byte never equal
/// the secret byte: that value's count would be 0).
#[test]
fn a_single_share_is_uniform_whatever_the_secret() {
    const N: u32 = 256 * 40;
    for secret in [[0u8; 16], [0xffu8; 16], [0x5au8; 16]] {
        let kit = kit_of(secret);
        for which in 0..3usize {
            let mut counts = [0u32; 256];
            for _ in 0..N {
                let s = &kit.split().unwrap()[which];
                counts[usize::from(s.bytes[0])] += 1;
            }
            assert!(
                counts[usize::from(secret[0])] > 0,
                "share {which} never equals the secret byte"
            );
            // 255 degrees of freedom: 99.9% of uniform samples stay under 330.
            let x2 = chi_square(&counts, N);
            assert!(x2 < 360.0, "share {which} of {secret:?}: chi-square {x2}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any secret, any two different shares give it back, and a share
    /// typed back from its printed text is the same share.
    #[test]
    fn shares_round_trip(secret in any::<[u8; 16]>(), a in 0usize..3, step in 1usize..3) {
        let kit = kit_of(secret);
        let shares = kit.split().unwrap();
        let b = (a + step) % 3;
        let typed = [
            KitShare::from_text(&shares[a].text()).unwrap(),
            KitShare::from_text(&shares[b].text()).unwrap(),
        ];
        prop_assert_eq!(*RecoveryKit::from_shares(&typed).unwrap().secret, secret);
    }
}
