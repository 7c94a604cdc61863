//! Prints the length of a card link as a shop would print it, and the QR code it needs (version
//! and modules a side, at level M): a phone must read it easily from a printed A6 card, so the
//! version may not pass 15.

use listening_post::domain::{
    card_link::{fingerprint, CardLink, KEY_BYTES},
    qr::{Qr, MAX_VERSION},
};

fn main() {
    // A long but plausible shop: its own port, a Persian branch name, a subpath.
    let link = CardLink {
        inbox: "https://couch.example-shop.ir:6984/tehran-cafe-inbox".into(),
        pin: fingerprint(
            &std::iter::once(4)
                .chain((1..KEY_BYTES as u8).map(|b| b.wrapping_mul(151)))
                .collect::<Vec<_>>(),
        ),
        branch: "شعبهٔ ونک".into(),
        touchpoint: "counter".into(),
        template: uuid::Uuid::from_u128(0x0f3c_5a11_9e2b_4c7d_8e1f_2a3b_4c5d_6e7f),
    };
    let url = link.url("https://feedback.example-shop.ir/listening-post/card.html");
    match Qr::new(&url) {
        Ok(qr) => println!(
            "card link: {} characters; QR code version {} ({} modules a side) at level M, the most allowed being {MAX_VERSION}",
            url.len(),
            qr.version(),
            qr.size()
        ),
        Err(_) => println!("card link: {} characters; too long for a QR code of version {MAX_VERSION} at level M", url.len()),
    }
}
