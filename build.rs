//! Writes the locale subsets compiled into the release pages: the card page's (the keys
//! `locales/card-page.txt` lists by prefix), and what the staff app must have in both languages
//! while it fetches only the interface language's file (those and `locales/both-languages.txt`).

use std::{env, fs, path::Path};

fn prefixes(file: &str) -> Vec<String> {
    println!("cargo::rerun-if-changed={file}");
    fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn main() {
    let card = prefixes("locales/card-page.txt");
    let both: Vec<String> = card
        .iter()
        .cloned()
        .chain(prefixes("locales/both-languages.txt"))
        .collect();
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    for lang in ["en", "fa"] {
        let source = format!("locales/{lang}.json");
        println!("cargo::rerun-if-changed={source}");
        let all: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&fs::read_to_string(&source).expect("locale file"))
                .expect("locale JSON");
        for (name, kept) in [("card", &card), ("both", &both)] {
            let subset: serde_json::Map<String, serde_json::Value> = all
                .iter()
                .filter(|(k, _)| kept.iter().any(|p| k.starts_with(p.as_str())))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let text = serde_json::to_string(&subset).expect("JSON");
            fs::write(Path::new(&out).join(format!("{name}-{lang}.json")), text).expect("write");
        }
    }
}
