//! Writes the card page's locale files: the keys `locales/card-page.txt` lists by prefix, so
//! the card page carries only the words it shows.

use std::{env, fs, path::Path};

fn main() {
    let prefixes_file = "locales/card-page.txt";
    println!("cargo::rerun-if-changed={prefixes_file}");
    let prefixes: Vec<String> = fs::read_to_string(prefixes_file)
        .expect("locales/card-page.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    for lang in ["en", "fa"] {
        let source = format!("locales/{lang}.json");
        println!("cargo::rerun-if-changed={source}");
        let all: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&fs::read_to_string(&source).expect("locale file"))
                .expect("locale JSON");
        let kept: serde_json::Map<String, serde_json::Value> = all
            .into_iter()
            .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p.as_str())))
            .collect();
        let text = serde_json::to_string(&kept).expect("JSON");
        fs::write(Path::new(&out).join(format!("card-{lang}.json")), text).expect("write");
    }
}
