//! Both locales hold the same keys, no text is empty, and every key the code asks for exists.

use std::collections::{BTreeMap, BTreeSet};

use listening_post::{
    domain::{
        export::FileError,
        feedback::FeedbackKind,
        model,
        rater::Dimension,
        template::{Anchors, AnswerProblem, CardTemplate, DEFAULT_QUESTION_IDS},
        text::Bilingual,
        Kind, Meta, ValidationError,
    },
    i18n::{EN_JSON, FA_JSON},
    store::StoreError,
};

fn catalog(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).expect("locale file is a flat JSON object of strings")
}

#[test]
fn english_and_persian_have_exactly_the_same_keys() {
    let en: BTreeSet<_> = catalog(EN_JSON).into_keys().collect();
    let fa: BTreeSet<_> = catalog(FA_JSON).into_keys().collect();
    assert_eq!(
        en.difference(&fa).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "missing in fa.json"
    );
    assert_eq!(
        fa.difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "missing in en.json"
    );
}

#[test]
fn no_text_is_blank_and_placeholders_match_across_languages() {
    let en = catalog(EN_JSON);
    let fa = catalog(FA_JSON);
    let placeholders = |s: &str| -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name))
            // `{n:card|cards}` chooses a word by the count `{n}`: the name is what matters.
            .map(|name| name.split(':').next().unwrap_or(name).to_owned())
            .collect()
    };
    for (k, v) in &en {
        assert!(!v.trim().is_empty(), "en {k} is blank");
        let f = &fa[k];
        assert!(!f.trim().is_empty(), "fa {k} is blank");
        assert_eq!(placeholders(v), placeholders(f), "placeholders of {k}");
    }
}

#[test]
fn persian_texts_are_written_in_persian() {
    // Language names and a few product terms stay Latin; everything else must carry Persian letters.
    let latin_ok = ["lang.en"];
    for (k, v) in catalog(FA_JSON) {
        if latin_ok.contains(&k.as_str()) || k.ends_with(".format") {
            continue;
        }
        assert!(
            v.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "fa {k} has no Persian: {v}"
        );
    }
}

fn rust_sources(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(path).unwrap());
        }
    }
}

#[test]
fn every_key_named_in_the_code_exists() {
    let en = catalog(EN_JSON);
    let prefixes: BTreeSet<&str> = en.keys().filter_map(|k| k.split('.').next()).collect();
    let mut sources = Vec::new();
    rust_sources(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut sources,
    );
    let mut missing = Vec::new();
    for src in &sources {
        for literal in src.split('"').skip(1).step_by(2) {
            let is_key = literal.contains('.')
                && !literal.ends_with('.')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
                && prefixes.contains(literal.split('.').next().unwrap());
            if is_key && !en.contains_key(literal) {
                missing.push(literal.to_owned());
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn every_key_built_at_run_time_exists() {
    let en = catalog(EN_JSON);
    let mut keys: Vec<String> = Vec::new();
    keys.extend(Kind::ALL.iter().map(|k| format!("kind.{}", k.name())));
    keys.extend(
        Dimension::ALL
            .iter()
            .map(|d| format!("dimension.{}", d.code())),
    );
    keys.extend(
        FeedbackKind::ALL
            .iter()
            .map(|k| format!("feedback.kind.{}", k.code())),
    );
    keys.extend((1..=12).flat_map(|m| [format!("month.g.{m}"), format!("month.j.{m}")]));
    keys.extend(["lang.en", "lang.fa"].map(String::from));
    keys.extend((1..=5).flat_map(|v| {
        [
            format!("scale.satisfaction.{v}"),
            format!("scale.agreement.{v}"),
        ]
    }));
    keys.extend(["scale.likelihood.0", "scale.likelihood.10"].map(String::from));
    keys.extend(
        [
            AnswerProblem::Required,
            AnswerProblem::NotAllowed,
            AnswerProblem::Contact,
            AnswerProblem::Text,
        ]
        .iter()
        .map(|p| p.message_key().to_owned()),
    );
    // The default card's texts, looked up by question id.
    keys.extend(
        DEFAULT_QUESTION_IDS
            .iter()
            .map(|id| format!("card.default.{id}")),
    );
    keys.push("card.default.name".to_owned());
    keys.extend(
        ["planned", "in_progress", "done", "dropped"].map(|s| format!("assess.status.{s}")),
    );
    keys.extend(
        listening_post::domain::feedback::Channel::ALL
            .iter()
            .map(|c| format!("feedback.channel.{}", c.code())),
    );
    keys.extend(
        listening_post::domain::feedback::Status::ALL
            .iter()
            .map(|s| format!("feedback.status.{}", s.code())),
    );
    keys.extend(
        listening_post::domain::sla::Day::ALL
            .iter()
            .map(|d| format!("day.{}", d.code())),
    );
    // Assessment models: names, descriptions, dimensions and guiding questions.
    for m in model::all() {
        keys.push(m.name_key());
        keys.push(format!("model.{}.about", m.id));
        keys.extend(m.dimensions.iter().map(|d| m.dimension_key(d)));
        keys.extend(m.items.iter().map(|i| m.item_key(&i.id)));
    }
    for t in [
        "rating5", "nps", "rating7", "single", "multi", "short", "long", "contact",
    ] {
        keys.push(format!("designer.type.{t}"));
    }
    for a in [
        Anchors::Numbers,
        Anchors::Satisfaction,
        Anchors::Agreement,
        Anchors::Likelihood,
    ] {
        keys.push(format!("designer.labels.{}", a.code()));
    }
    keys.extend(
        [
            "scale.agreement7.1",
            "scale.agreement7.7",
            "scale.satisfaction7.1",
            "scale.satisfaction7.7",
        ]
        .map(String::from),
    );
    let errors = [
        ValidationError::Empty { field: "" },
        ValidationError::TooLong {
            field: "",
            max: 0,
            len: 0,
        },
        ValidationError::ControlCharacter { field: "" },
        ValidationError::OutOfRange {
            field: "",
            value: 0.0,
            min: 0.0,
            max: 0.0,
        },
        ValidationError::TooMany {
            field: "",
            max: 0,
            len: 0,
        },
        ValidationError::Contact { field: "" },
        ValidationError::UpdatedBeforeCreated,
        ValidationError::SchemaVersion {
            found: 0,
            expected: 0,
        },
        ValidationError::Unknown {
            field: "",
            value: String::new(),
        },
        ValidationError::Duplicate {
            field: "",
            value: String::new(),
        },
    ];
    keys.extend(errors.iter().map(|e| e.message_key().to_owned()));
    let file_errors = [
        FileError::TooLarge { size: 0, max: 0 },
        FileError::Malformed(String::new()),
        FileError::NotOurs,
        FileError::Newer {
            found: 0,
            supported: 0,
        },
        FileError::UnknownVersion(0),
    ];
    keys.extend(file_errors.iter().map(|e| e.message_key().to_owned()));
    keys.extend(
        [StoreError::Quota, StoreError::Unavailable(String::new())]
            .iter()
            .map(|e| e.message_key().to_owned()),
    );
    for reason in [
        "store.aside.unknown_key",
        "store.aside.unreadable",
        "store.aside.id_mismatch",
        "store.aside.invalid",
    ] {
        keys.push(reason.to_owned());
    }
    let missing: Vec<_> = keys.into_iter().filter(|k| !en.contains_key(k)).collect();
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn the_card_page_carries_every_key_its_code_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let prefixes: Vec<String> = std::fs::read_to_string(root.join("locales/card-page.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let en = catalog(EN_JSON);
    // The card page's own code and what it shows: the card form, its questions, the language
    // switch, notices, the crash screen, storage and validation messages, the default card.
    let files = [
        "src/card_page.rs",
        "src/components/rating_scale.rs",
        "src/components/question_title.rs",
        "src/components/language_select.rs",
        "src/components/notice_bar.rs",
        "src/components/crash.rs",
        "src/store.rs",
        "src/domain/record.rs",
        "src/domain/template.rs",
    ];
    let fill = std::fs::read_to_string(root.join("src/pages/cards/fill.rs")).unwrap();
    // Of the Cards screen's file, the card form and its questions (from `CardForm` on).
    let form = fill.split_once("pub fn CardForm(").unwrap().1.to_owned();
    let mut sources: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(root.join(f)).unwrap())
        .collect();
    sources.push(form);
    let mut missing = Vec::new();
    for src in &sources {
        for literal in src.split('"').skip(1).step_by(2) {
            let base = literal.split('{').next().unwrap();
            let named = en.contains_key(literal)
                || (literal.contains('{') && en.keys().any(|k| k.starts_with(base)));
            let carried = prefixes
                .iter()
                .any(|p| base.starts_with(p.as_str()) || p.starts_with(base));
            if named && !carried {
                missing.push(literal.to_owned());
            }
        }
    }
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "add their prefix to locales/card-page.txt"
    );
}

fn prefixes(file: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(file))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The staff app's release build fetches only the interface language's file, so what it writes
/// in both languages at once must be compiled in: the first start's default card, the poster,
/// the designer's names for a card, the crash screen and the message for an unfetched file.
#[test]
fn the_staff_app_carries_in_both_languages_what_it_writes_in_both() {
    let en = catalog(EN_JSON);
    let both = prefixes("locales/both-languages.txt");
    for p in &both {
        assert!(
            en.keys().any(|k| k.starts_with(p.as_str())),
            "{p} names no key"
        );
    }
    let carried: Vec<String> = prefixes("locales/card-page.txt")
        .into_iter()
        .chain(both)
        .collect();
    let asked = std::cell::RefCell::new(Vec::new());
    CardTemplate::default_card(Meta::new(chrono::Utc::now()), &|key| {
        asked.borrow_mut().push(key.to_owned());
        Bilingual::new(key, key)
    });
    let mut keys = asked.into_inner();
    assert!(keys.len() > 5, "{keys:?}");
    keys.extend(
        [
            "links.poster.invite",
            "links.poster.scan",
            "designer.untitled",
            "designer.copy_suffix",
            "crash.title",
            "crash.body",
            "crash.reload",
            "crash.detail",
            "boot.failed.title",
            "boot.failed.body",
        ]
        .map(String::from),
    );
    for key in keys {
        assert!(en.contains_key(&key), "{key} is no key");
        assert!(
            carried.iter().any(|p| key.starts_with(p.as_str())),
            "{key}: add it to locales/both-languages.txt"
        );
    }
}

/// A count followed by a plural noun ("{n} seconds") reads wrong for one ("1 seconds").
/// Every such phrase must choose its word by the count, `{n} {n:second|seconds}`, or the key
/// must have a `.one` wording for a count of one.
#[test]
fn every_counted_english_phrase_has_its_singular() {
    let en = catalog(EN_JSON);
    let mut bare = Vec::new();
    for (key, text) in &en {
        if key.ends_with(".one") || en.contains_key(&format!("{key}.one")) {
            continue;
        }
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            rest = &after[close + 1..];
            if name.contains(':') {
                continue;
            }
            // The word right after the number, if one follows it.
            let word: String = rest
                .strip_prefix(' ')
                .unwrap_or("")
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            // Verbs that end in "s" follow names, not counts.
            let verb = ["has", "was", "does"].contains(&word.as_str());
            let counted = word.len() > 2 && word.ends_with('s') && !word.ends_with("ss") && !verb;
            if counted && !rest[1..].starts_with(&format!("{{{name}:")) {
                bare.push(format!("{key}: {text}"));
            }
        }
    }
    assert!(bare.is_empty(), "counted without a singular: {bare:#?}");
}

/// The plural rule is applied, not only written: one of each counted phrase reads in the singular.
#[test]
fn a_count_of_one_reads_in_the_singular() {
    use listening_post::i18n::{tf, Lang};
    let one = |key: &str, names: &[&str]| {
        let args: Vec<(&str, String)> = names.iter().map(|n| (*n, "1".to_owned())).collect();
        tf(Lang::En, key, &args)
    };
    assert_eq!(one("kiosk.next", &["n"]), "A fresh card opens in 1 second.");
    assert_eq!(
        one("dash.nps.note", &["p", "m", "d"]),
        "1 promoter, 1 passive, 1 detractor"
    );
    assert_eq!(
        one("received.count", &["shown", "total"]),
        "Showing 1 of 1 card."
    );
    assert_eq!(one("cust.count", &["n"]), "1 customer shown");
}

/// «شنود» reads as eavesdropping or wiretapping in Persian: no customer should meet it.
#[test]
fn no_persian_text_speaks_of_wiretapping() {
    for (key, text) in catalog(FA_JSON) {
        assert!(!text.contains("شنود"), "fa {key}: {text}");
    }
}
