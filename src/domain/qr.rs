//! QR codes for card links, drawn as SVG. A phone must read the code easily from a printed A6
//! card, so it is version 15 (77 modules a side) at most, at error correction level M.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

/// The largest version a card link's code may take.
pub const MAX_VERSION: u8 = 15;
/// Light modules around the code, as the standard asks.
const QUIET: i32 = 4;

/// A QR code of a card link.
pub struct Qr(QrCode);

/// The text needs a code larger than [`MAX_VERSION`] at level M.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong;

impl Qr {
    /// The code of `text`, at level M, in the smallest version that holds it (never above
    /// [`MAX_VERSION`]).
    pub fn new(text: &str) -> Result<Qr, TooLong> {
        let segments = QrSegment::make_segments(text);
        QrCode::encode_segments_advanced(
            &segments,
            QrCodeEcc::Medium,
            Version::MIN,
            Version::new(MAX_VERSION),
            None,
            false,
        )
        .map(Qr)
        .map_err(|_| TooLong)
    }

    pub fn version(&self) -> u8 {
        self.0.version().value()
    }

    /// Modules a side, without the quiet zone.
    pub fn size(&self) -> i32 {
        self.0.size()
    }

    pub fn dark(&self, x: i32, y: i32) -> bool {
        self.0.get_module(x, y)
    }

    /// The code as one SVG path of unit squares, with its quiet zone, scaling to any size.
    /// `label` names the image for screen readers.
    pub fn svg(&self, label: &str) -> String {
        let side = self.size() + 2 * QUIET;
        let mut path = String::new();
        for y in 0..self.size() {
            for x in 0..self.size() {
                if self.dark(x, y) {
                    path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET, y + QUIET));
                }
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
             role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path d=\"{path}\" fill=\"#000\"/></svg>",
            escape_attr(label)
        )
    }
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card_link::{fingerprint, CardLink, KEY_BYTES};

    /// Reads a code back from its modules, as a phone's decoder would from a picture.
    fn read_back(qr: &Qr) -> String {
        let scale = 4;
        let side = ((qr.size() + 2 * QUIET) * scale) as usize;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x as i32 / scale - QUIET, y as i32 / scale - QUIET);
            let inside = (0..qr.size()).contains(&mx) && (0..qr.size()).contains(&my);
            if inside && qr.dark(mx, my) {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("the code reads").1
    }

    #[test]
    fn a_long_card_link_fits_version_15_at_level_m_and_reads_back() {
        let link = CardLink {
            inbox: "https://couch.example-shop.ir:6984/tehran-cafe-inbox".into(),
            pin: fingerprint(
                &std::iter::once(4)
                    .chain((1..KEY_BYTES as u8).map(|b| b ^ 0xa5))
                    .collect::<Vec<_>>(),
            ),
            branch: "شعبهٔ ونک".into(),
            touchpoint: "counter".into(),
            template: uuid::Uuid::from_u128(u128::MAX / 3),
        };
        let url = link.url("https://feedback.example-shop.ir/listening-post/card.html");
        let qr = Qr::new(&url).unwrap();
        assert!(qr.version() <= MAX_VERSION, "version {}", qr.version());
        assert_eq!(read_back(&qr), url);
        let svg = qr.svg("QR code");
        assert!(svg.starts_with("<svg") && svg.contains("aria-label=\"QR code\""));
    }

    #[test]
    fn text_too_long_for_version_15_is_refused() {
        // Version 15 at M holds 412 bytes.
        assert!(Qr::new(&"x".repeat(412)).is_ok());
        assert_eq!(Qr::new(&"x".repeat(413)).err(), Some(TooLong));
        assert!(Qr::new("x")
            .unwrap()
            .svg("<\"&>")
            .contains("&lt;&quot;&amp;&gt;"));
    }
}
