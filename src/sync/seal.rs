//! Cards sealed on a customer's phone for the shop alone.
//! - **HPKE** (RFC 9180) in base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM:
//!   what phones seal with now. The key schedule is plain Rust ([`super::hpke`]); the curve and
//!   AES-GCM are the browser's WebCrypto, so the sealing adds no curve arithmetic to the wasm.
//!   The associated data binds a sealed card to its document's id and its card design.
//! - The first format ([`seal`], [`open`]): an ephemeral ECDH P-256 key, HKDF-SHA-256 with the
//!   ephemeral public key as salt, AES-256-GCM. Staff devices still open it, for cards sealed on
//!   phones before the change and waiting there to be delivered.
//!
//! Whoever reads the inbox sees only ciphertext; a changed byte fails to open.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Tells this format's keys apart from any other use of the same shared secret.
const INFO: &[u8] = b"listening-post sealed card v1";

/// A sealed message: the ephemeral public key (65 bytes), the nonce (12 bytes), the ciphertext
/// with its tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub epk: Vec<u8>,
    pub iv: Vec<u8>,
    pub ct: Vec<u8>,
}

/// The shop's key pair, as a staff device keeps it: the public key's raw bytes (what the card
/// link carries) and the private key as JWK text.
pub struct KeyPair {
    pub public: Vec<u8>,
    pub private_jwk: String,
}

fn subtle() -> Result<web_sys::SubtleCrypto, JsValue> {
    Ok(web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .crypto()?
        .subtle())
}

/// A plain object of `(name, value)` pairs: WebCrypto's algorithm parameters.
fn params(pairs: &[(&str, &JsValue)]) -> Result<Object, JsValue> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v)?;
    }
    Ok(o)
}

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}

fn ec() -> Result<Object, JsValue> {
    params(&[("name", &s("ECDH")), ("namedCurve", &s("P-256"))])
}

async fn wait(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn key(promise: js_sys::Promise) -> Result<web_sys::CryptoKey, JsValue> {
    wait(promise).await?.dyn_into()
}

async fn bytes(promise: js_sys::Promise) -> Result<Vec<u8>, JsValue> {
    Ok(Uint8Array::new(&wait(promise).await?).to_vec())
}

/// A new key pair for a shop's inbox.
pub async fn generate() -> Result<KeyPair, JsValue> {
    let c = subtle()?;
    let pair = wait(c.generate_key_with_object(&ec()?, true, &usages(&["deriveBits"]))?).await?;
    let public: web_sys::CryptoKey = Reflect::get(&pair, &s("publicKey"))?.dyn_into()?;
    let private: web_sys::CryptoKey = Reflect::get(&pair, &s("privateKey"))?.dyn_into()?;
    let public = bytes(c.export_key("raw", &public)?).await?;
    let jwk = wait(c.export_key("jwk", &private)?).await?;
    let private_jwk = js_sys::JSON::stringify(&jwk)?
        .as_string()
        .ok_or_else(|| s("the key could not be written"))?;
    Ok(KeyPair {
        public,
        private_jwk,
    })
}

/// The AES-GCM key both sides reach from the ECDH secret.
async fn aes_key(
    c: &web_sys::SubtleCrypto,
    private: &web_sys::CryptoKey,
    other_public: &[u8],
    epk: &[u8],
    usage: &str,
) -> Result<web_sys::CryptoKey, JsValue> {
    let secret = dh(c, private, other_public).await?;
    let hkdf = key(c.import_key_with_object(
        "raw",
        &Uint8Array::from(&secret[..]),
        &params(&[("name", &s("HKDF"))])?,
        false,
        &usages(&["deriveKey"]),
    )?)
    .await?;
    key(c.derive_key_with_object_and_object(
        &params(&[
            ("name", &s("HKDF")),
            ("hash", &s("SHA-256")),
            ("salt", &Uint8Array::from(epk)),
            ("info", &Uint8Array::from(INFO)),
        ])?,
        &hkdf,
        &params(&[("name", &s("AES-GCM")), ("length", &JsValue::from(256))])?,
        false,
        &usages(&[usage]),
    )?)
    .await
}

/// Seals `plain` for the holder of the private key whose public key is `shop_public` (65 raw
/// bytes).
pub async fn seal(shop_public: &[u8], plain: &[u8]) -> Result<Sealed, JsValue> {
    let c = subtle()?;
    let pair = wait(c.generate_key_with_object(&ec()?, true, &usages(&["deriveBits"]))?).await?;
    let mine: web_sys::CryptoKey = Reflect::get(&pair, &s("privateKey"))?.dyn_into()?;
    let epk: web_sys::CryptoKey = Reflect::get(&pair, &s("publicKey"))?.dyn_into()?;
    let epk = bytes(c.export_key("raw", &epk)?).await?;
    let aes = aes_key(&c, &mine, shop_public, &epk, "encrypt").await?;
    let mut iv = [0u8; 12];
    web_sys::window()
        .ok_or_else(|| s("no window"))?
        .crypto()?
        .get_random_values_with_u8_array(&mut iv)?;
    let ct = bytes(c.encrypt_with_object_and_u8_array(
        &params(&[("name", &s("AES-GCM")), ("iv", &Uint8Array::from(&iv[..]))])?,
        &aes,
        plain,
    )?)
    .await?;
    Ok(Sealed {
        epk,
        iv: iv.to_vec(),
        ct,
    })
}

/// Opens a sealed message with the shop's private key (JWK text). A wrong key, or any changed
/// byte, is an error.
pub async fn open(private_jwk: &str, sealed: &Sealed) -> Result<Vec<u8>, JsValue> {
    let c = subtle()?;
    let jwk: Object = js_sys::JSON::parse(private_jwk)?.dyn_into()?;
    let private =
        key(c.import_key_with_object("jwk", &jwk, &ec()?, false, &usages(&["deriveBits"]))?)
            .await?;
    let aes = aes_key(&c, &private, &sealed.epk, &sealed.epk, "decrypt").await?;
    bytes(c.decrypt_with_object_and_u8_array(
        &params(&[
            ("name", &s("AES-GCM")),
            ("iv", &Uint8Array::from(&sealed.iv[..])),
        ])?,
        &aes,
        &sealed.ct,
    )?)
    .await
}

/// HPKE's `info` for sealed cards: ties the keys to this use.
pub const HPKE_INFO: &[u8] = b"listening-post sealed card v2";

/// A message sealed with HPKE: the encapsulated key (the ephemeral public key, 65 bytes) and
/// the ciphertext with its tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HpkeSealed {
    pub enc: Vec<u8>,
    pub ct: Vec<u8>,
}

/// The x coordinate of `private` times the point `public` (65 raw bytes): P-256's `DH()`.
async fn dh(
    c: &web_sys::SubtleCrypto,
    private: &web_sys::CryptoKey,
    public: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let other = key(c.import_key_with_object(
        "raw",
        &Uint8Array::from(public),
        &ec()?,
        false,
        &usages(&[]),
    )?)
    .await?;
    bytes(c.derive_bits_with_object(
        &params(&[("name", &s("ECDH")), ("public", &other)])?,
        private,
        256,
    )?)
    .await
}

/// P-256's `DH()` of a private key and a public key's raw bytes: the x coordinate.
pub async fn dh_bits(private: &web_sys::CryptoKey, public: &[u8]) -> Result<Vec<u8>, JsValue> {
    dh(&subtle()?, private, public).await
}

/// AES-GCM with associated data, under a raw key of 16 or 32 bytes.
async fn aes_gcm(
    c: &web_sys::SubtleCrypto,
    context: &super::hpke::Context,
    aad: &[u8],
    data: &[u8],
    encrypt: bool,
) -> Result<Vec<u8>, JsValue> {
    let usage = if encrypt { "encrypt" } else { "decrypt" };
    let aes = key(c.import_key_with_str(
        "raw",
        &Uint8Array::from(&context.key[..]),
        "AES-GCM",
        false,
        &usages(&[usage]),
    )?)
    .await?;
    let algorithm = params(&[
        ("name", &s("AES-GCM")),
        ("iv", &Uint8Array::from(&context.nonce(0)[..])),
        ("additionalData", &Uint8Array::from(aad)),
    ])?;
    if encrypt {
        bytes(c.encrypt_with_object_and_u8_array(&algorithm, &aes, data)?).await
    } else {
        bytes(c.decrypt_with_object_and_u8_array(&algorithm, &aes, data)?).await
    }
}

/// HPKE's single-shot seal with a given ephemeral key pair (`ephemeral`, whose public key is
/// `enc`): what [`hpke_seal`] does with a fresh pair, and what RFC 9180's vectors fix.
pub async fn hpke_seal_with(
    aead: u16,
    ephemeral: &web_sys::CryptoKey,
    enc: Vec<u8>,
    recipient: &[u8],
    info: &[u8],
    aad: &[u8],
    plain: &[u8],
) -> Result<HpkeSealed, JsValue> {
    let c = subtle()?;
    let secret = super::hpke::shared_secret(&dh(&c, ephemeral, recipient).await?, &enc, recipient);
    let context = super::hpke::key_schedule(aead, &secret, info);
    let ct = aes_gcm(&c, &context, aad, plain, true).await?;
    Ok(HpkeSealed { enc, ct })
}

/// Seals `plain` for the holder of the private key whose public key is `recipient` (65 raw
/// bytes), binding `aad`: HPKE base mode with AES-256-GCM.
pub async fn hpke_seal(recipient: &[u8], aad: &[u8], plain: &[u8]) -> Result<HpkeSealed, JsValue> {
    let c = subtle()?;
    let pair = wait(c.generate_key_with_object(&ec()?, true, &usages(&["deriveBits"]))?).await?;
    let mine: web_sys::CryptoKey = Reflect::get(&pair, &s("privateKey"))?.dyn_into()?;
    let enc: web_sys::CryptoKey = Reflect::get(&pair, &s("publicKey"))?.dyn_into()?;
    let enc = bytes(c.export_key("raw", &enc)?).await?;
    hpke_seal_with(
        super::hpke::AEAD_AES256GCM,
        &mine,
        enc,
        recipient,
        HPKE_INFO,
        aad,
        plain,
    )
    .await
}

/// HPKE's single-shot open with the recipient's private key (`private`, whose public key is
/// `recipient`). A wrong key, other associated data, or any changed byte is an error.
pub async fn hpke_open_with(
    aead: u16,
    private: &web_sys::CryptoKey,
    recipient: &[u8],
    info: &[u8],
    aad: &[u8],
    sealed: &HpkeSealed,
) -> Result<Vec<u8>, JsValue> {
    let c = subtle()?;
    let secret =
        super::hpke::shared_secret(&dh(&c, private, &sealed.enc).await?, &sealed.enc, recipient);
    let context = super::hpke::key_schedule(aead, &secret, info);
    aes_gcm(&c, &context, aad, &sealed.ct, false).await
}

/// Opens a card sealed with [`hpke_seal`] with one of the shop's keys: its private key as JWK
/// text and its public key's raw bytes.
pub async fn hpke_open(
    private_jwk: &str,
    public: &[u8],
    aad: &[u8],
    sealed: &HpkeSealed,
) -> Result<Vec<u8>, JsValue> {
    let c = subtle()?;
    let jwk: Object = js_sys::JSON::parse(private_jwk)?.dyn_into()?;
    let private =
        key(c.import_key_with_object("jwk", &jwk, &ec()?, false, &usages(&["deriveBits"]))?)
            .await?;
    hpke_open_with(
        super::hpke::AEAD_AES256GCM,
        &private,
        public,
        HPKE_INFO,
        aad,
        sealed,
    )
    .await
}

/// A P-256 private key from its raw scalar and its public key (65 bytes), as RFC 9180's vectors
/// give them (`skEm` with `pkEm`, `skRm` with `pkRm`).
pub async fn import_private(scalar: &[u8], public: &[u8]) -> Result<web_sys::CryptoKey, JsValue> {
    use crate::domain::card_link::base64url;
    if scalar.len() != 32 || public.len() != 65 {
        return Err(s("not a P-256 key"));
    }
    let jwk = format!(
        r#"{{"kty":"EC","crv":"P-256","d":"{}","x":"{}","y":"{}"}}"#,
        base64url(scalar),
        base64url(&public[1..33]),
        base64url(&public[33..])
    );
    let jwk: Object = js_sys::JSON::parse(&jwk)?.dyn_into()?;
    let c = subtle()?;
    key(c.import_key_with_object("jwk", &jwk, &ec()?, false, &usages(&["deriveBits"]))?).await
}
