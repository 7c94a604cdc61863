//! The key schedule of HPKE (RFC 9180) in base mode, for DHKEM(P-256, HKDF-SHA256) and
//! HKDF-SHA256: what turns the Diffie-Hellman secret into the AEAD's key and nonce. Plain Rust,
//! checked natively against the RFC's published values; the curve and the AEAD itself run in
//! the browser's WebCrypto ([`super::seal`]).

use hkdf::Hkdf;
use sha2::Sha256;

/// DHKEM(P-256, HKDF-SHA256).
pub const KEM_P256: u16 = 0x0010;
/// HKDF-SHA256.
pub const KDF_SHA256: u16 = 0x0001;
/// AES-128-GCM: the suite of RFC 9180's vectors in Appendix A.3.
pub const AEAD_AES128GCM: u16 = 0x0001;
/// AES-256-GCM: the suite cards are sealed with.
pub const AEAD_AES256GCM: u16 = 0x0002;
/// Bytes of the AEAD's nonce (both AES-GCM suites).
pub const NN: usize = 12;
/// Bytes of the KEM's shared secret and of an HKDF-SHA256 output.
const NH: usize = 32;
/// Base mode: no pre-shared key, no sender authentication.
const MODE_BASE: u8 = 0x00;

/// The AEAD's key length for an AEAD id of this module.
pub fn key_len(aead: u16) -> usize {
    if aead == AEAD_AES128GCM {
        16
    } else {
        32
    }
}

fn kem_suite() -> Vec<u8> {
    let mut s = b"KEM".to_vec();
    s.extend(KEM_P256.to_be_bytes());
    s
}

fn hpke_suite(aead: u16) -> Vec<u8> {
    let mut s = b"HPKE".to_vec();
    s.extend(KEM_P256.to_be_bytes());
    s.extend(KDF_SHA256.to_be_bytes());
    s.extend(aead.to_be_bytes());
    s
}

/// `LabeledExtract(salt, label, ikm)`.
fn labeled_extract(suite: &[u8], salt: &[u8], label: &[u8], ikm: &[u8]) -> [u8; NH] {
    let ikm = [b"HPKE-v1", suite, label, ikm].concat();
    let (prk, _) = Hkdf::<Sha256>::extract(Some(salt), &ikm);
    prk.into()
}

/// `LabeledExpand(prk, label, info, len)`.
fn labeled_expand(suite: &[u8], prk: &[u8; NH], label: &[u8], info: &[u8], len: usize) -> Vec<u8> {
    let info = [
        &(len as u16).to_be_bytes()[..],
        b"HPKE-v1",
        suite,
        label,
        info,
    ]
    .concat();
    let mut out = vec![0; len];
    // A PRK of the hash's length is always accepted, and `len` is at most 32 here.
    if let Ok(h) = Hkdf::<Sha256>::from_prk(prk) {
        let _ = h.expand(&info, &mut out);
    }
    out
}

/// The KEM's shared secret from the Diffie-Hellman output (the x coordinate) and the two public
/// keys, each uncompressed: `ExtractAndExpand(dh, enc || pkRm)`.
pub fn shared_secret(dh: &[u8], enc: &[u8], recipient: &[u8]) -> [u8; NH] {
    let suite = kem_suite();
    let prk = labeled_extract(&suite, b"", b"eae_prk", dh);
    let context = [enc, recipient].concat();
    let mut out = [0; NH];
    out.copy_from_slice(&labeled_expand(
        &suite,
        &prk,
        b"shared_secret",
        &context,
        NH,
    ));
    out
}

/// What the key schedule gives a single-shot seal or open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub key: Vec<u8>,
    pub base_nonce: [u8; NN],
    pub exporter_secret: [u8; NH],
}

/// `KeyScheduleS/R` in base mode, for the AEAD `aead`.
pub fn key_schedule(aead: u16, shared_secret: &[u8], info: &[u8]) -> Context {
    let suite = hpke_suite(aead);
    let psk_id_hash = labeled_extract(&suite, b"", b"psk_id_hash", b"");
    let info_hash = labeled_extract(&suite, b"", b"info_hash", info);
    let context = [&[MODE_BASE][..], &psk_id_hash, &info_hash].concat();
    let secret = labeled_extract(&suite, shared_secret, b"secret", b"");
    let key = labeled_expand(&suite, &secret, b"key", &context, key_len(aead));
    let mut base_nonce = [0; NN];
    base_nonce.copy_from_slice(&labeled_expand(
        &suite,
        &secret,
        b"base_nonce",
        &context,
        NN,
    ));
    let mut exporter_secret = [0; NH];
    exporter_secret.copy_from_slice(&labeled_expand(&suite, &secret, b"exp", &context, NH));
    Context {
        key,
        base_nonce,
        exporter_secret,
    }
}

impl Context {
    /// The nonce of message number `seq`: the base nonce with `seq` XORed into its end.
    pub fn nonce(&self, seq: u64) -> [u8; NN] {
        let mut nonce = self.base_nonce;
        for (n, s) in nonce[NN - 8..].iter_mut().zip(seq.to_be_bytes()) {
            *n ^= s;
        }
        nonce
    }
}

/// Hex text as bytes, for the published vectors.
#[cfg(any(test, target_arch = "wasm32"))]
pub fn unhex(text: &str) -> Vec<u8> {
    let clean: Vec<u8> = text.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    clean
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("00"), 16).unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 9180, Appendix A.3.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
    const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
    const SHARED_SECRET: &str = "c0d26aeab536609a572b07695d933b589dcf363ff9d93c93adea537aeabb8cb8";
    const KEY: &str = "868c066ef58aae6dc589b6cfdd18f97e";
    const BASE_NONCE: &str = "4e0bc5018beba4bf004cca59";
    const EXPORTER: &str = "14ad94af484a7ad3ef40e9f3be99ecc6fa9036df9d4920548424df127ee0d99f";

    #[test]
    fn the_key_schedule_gives_rfc_9180_a3s_key_nonce_and_exporter_secret() {
        let c = key_schedule(AEAD_AES128GCM, &unhex(SHARED_SECRET), &unhex(INFO));
        assert_eq!(c.key, unhex(KEY));
        assert_eq!(c.base_nonce.to_vec(), unhex(BASE_NONCE));
        assert_eq!(c.exporter_secret.to_vec(), unhex(EXPORTER));
    }

    #[test]
    fn message_nonces_are_the_base_nonce_xor_the_sequence_as_in_a3s_encryptions() {
        let c = key_schedule(AEAD_AES128GCM, &unhex(SHARED_SECRET), &unhex(INFO));
        assert_eq!(c.nonce(0).to_vec(), unhex("4e0bc5018beba4bf004cca59"));
        assert_eq!(c.nonce(1).to_vec(), unhex("4e0bc5018beba4bf004cca58"));
        assert_eq!(c.nonce(255).to_vec(), unhex("4e0bc5018beba4bf004ccaa6"));
        assert_eq!(c.nonce(256).to_vec(), unhex("4e0bc5018beba4bf004ccb59"));
    }

    #[test]
    fn the_aes_256_suite_has_its_own_longer_key() {
        let ss = unhex(SHARED_SECRET);
        let info = unhex(INFO);
        let a = key_schedule(AEAD_AES128GCM, &ss, &info);
        let b = key_schedule(AEAD_AES256GCM, &ss, &info);
        assert_eq!(b.key.len(), 32);
        // The suite id is in every label: nothing is shared between the two suites.
        assert_ne!(a.key[..], b.key[..16]);
        assert_ne!(a.base_nonce, b.base_nonce);
    }
}
