//! Cards sealed on a customer's phone for the shop alone, with the browser's WebCrypto (so the
//! sealing adds no cryptography to the wasm): an ephemeral ECDH P-256 key agreed with the
//! shop's public key, HKDF-SHA-256 over the shared secret (the ephemeral public key as salt),
//! and AES-256-GCM. Whoever reads the inbox sees only ciphertext; a changed byte fails to open.

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
    let other = key(c.import_key_with_object(
        "raw",
        &Uint8Array::from(other_public),
        &ec()?,
        false,
        &usages(&[]),
    )?)
    .await?;
    let secret = wait(c.derive_bits_with_object(
        &params(&[("name", &s("ECDH")), ("public", &other)])?,
        private,
        256,
    )?)
    .await?;
    let hkdf = key(c.import_key_with_object(
        "raw",
        &Uint8Array::new(&secret),
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
