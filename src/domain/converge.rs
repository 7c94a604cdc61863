//! Two copies of one record changed apart (on two devices, or on this device and on the shop's
//! server) settle on one result, whichever side works it out and in whatever order copies meet:
//! the rule is commutative, associative and idempotent, so devices that sync converge.
//!
//! - The newer `updated` wins, as on import.
//! - At the same `updated`, the copy whose JSON sorts last wins, the same choice on every side.
//! - A feedback item keeps every history line written on either side: the winner's fields with
//!   the union of both histories, in time order (lines of the same moment in a fixed order, and
//!   a line both sides hold, once). The tie-break compares the items without their histories,
//!   so a merged copy meeting one of its sources again picks the same fields.
//!
//! ```
//! use listening_post::domain::converge::converge;
//! # use listening_post::domain::{Record, settings::Settings};
//! # let a = Record::Settings(Settings::defaults(chrono::Utc::now()));
//! # let b = a.clone();
//! let merged = converge(&a, &b);
//! assert_eq!(converge(&merged, &a), merged);
//! ```

use std::cmp::Ordering;

use super::{feedback::HistoryEntry, Record};

/// The copy both sides keep of `a` and `b`, two copies of the same record (same kind and id).
pub fn converge(a: &Record, b: &Record) -> Record {
    let winner = match order(a, b) {
        Ordering::Less => b,
        _ => a,
    };
    match (a, b, winner) {
        (Record::Feedback(x), Record::Feedback(y), Record::Feedback(w)) => {
            let mut item = w.clone();
            item.history = union(&x.history, &y.history);
            Record::Feedback(item)
        }
        _ => winner.clone(),
    }
}

/// Which copy's fields win: the later `updated`, then the JSON that sorts last (a feedback
/// item's without its history, which is merged apart).
fn order(a: &Record, b: &Record) -> Ordering {
    a.meta()
        .updated
        .cmp(&b.meta().updated)
        .then_with(|| fields(a).cmp(&fields(b)))
}

fn fields(r: &Record) -> String {
    match r {
        Record::Feedback(item) => {
            let mut bare = item.clone();
            bare.history.clear();
            Record::Feedback(bare).to_json()
        }
        other => other.to_json(),
    }
}

/// Every line of both histories once, oldest first; lines at the same moment in a fixed order.
fn union(a: &[HistoryEntry], b: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut all: Vec<(String, &HistoryEntry)> = a
        .iter()
        .chain(b)
        .map(|h| (serde_json::to_string(h).unwrap_or_default(), h))
        .collect();
    // The order is total over distinct lines, so an unstable sort gives the one result.
    all.sort_unstable_by(|(x, hx), (y, hy)| hx.at.cmp(&hy.at).then_with(|| x.cmp(y)));
    all.dedup_by(|(x, _), (y, _)| x == y);
    all.into_iter().map(|(_, h)| h.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        feedback::{testing::complaint_at, FeedbackItem, Status},
        settings::Settings,
        sla::testing::tehran_week,
    };
    use chrono::{DateTime, TimeZone, Utc};

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0).unwrap()
    }

    fn settings(minute: u32, name: &str) -> Record {
        let mut s = Settings::defaults(at(0));
        s.meta.updated = at(minute);
        s.business_name = name.into();
        Record::Settings(s)
    }

    /// One complaint as both devices had it before they went apart.
    fn complaint() -> FeedbackItem {
        complaint_at(at(0))
    }

    #[test]
    fn the_newer_copy_wins_and_at_the_same_time_both_sides_pick_the_same_one() {
        let (old, new) = (settings(1, "Old"), settings(2, "New"));
        assert_eq!(converge(&old, &new), new);
        assert_eq!(converge(&new, &old), new);
        let (x, y) = (settings(3, "Kiosk"), settings(3, "Desk"));
        assert_eq!(converge(&x, &y), converge(&y, &x));
        assert_eq!(converge(&x, &x), x);
    }

    #[test]
    fn a_feedback_item_changed_on_two_devices_keeps_both_history_lines_in_any_order() {
        let cal = tehran_week();
        let mut desk = complaint();
        desk.set_status(Status::InProgress, "Reza", at(5), &cal, 3)
            .unwrap();
        desk.meta.touch(at(5));
        let mut laptop = complaint();
        laptop.write("", "Called the kitchen", "Mina", at(7));
        laptop.meta.touch(at(7));
        let (d, l) = (Record::Feedback(desk), Record::Feedback(laptop.clone()));
        let merged = converge(&d, &l);
        assert_eq!(merged, converge(&l, &d));
        let Record::Feedback(m) = &merged else {
            panic!("a feedback item stays one")
        };
        // The laptop's later change wins the fields; the desk's status line is kept too.
        assert_eq!(m.notes, "Called the kitchen");
        assert_eq!(m.history.len(), 3);
        assert_eq!(m.history[0].by, "Sara");
        assert_eq!(m.history[1].by, "Reza");
        assert_eq!(m.history[2].by, "Mina");
        // Meeting either source again changes nothing, whichever side it is on.
        for source in [&d, &l] {
            assert_eq!(converge(&merged, source), merged);
            assert_eq!(converge(source, &merged), merged);
        }
        // Three copies settle the same whatever the order they meet in.
        let mut third = complaint();
        third.assign("Ali", "Ali", at(6));
        third.meta.touch(at(6));
        let t = Record::Feedback(third);
        assert_eq!(
            converge(&converge(&d, &l), &t),
            converge(&d, &converge(&l, &t))
        );
        assert_eq!(
            converge(&converge(&t, &d), &l),
            converge(&converge(&d, &l), &t)
        );
    }

    #[test]
    fn at_the_same_time_the_fields_decide_and_the_histories_still_join() {
        let mut a = complaint();
        a.write("Sorry", "", "Reza", at(4));
        a.meta.touch(at(4));
        let mut b = complaint();
        b.write("We apologise", "", "Mina", at(4));
        b.meta.touch(at(4));
        let (x, y) = (Record::Feedback(a), Record::Feedback(b));
        let merged = converge(&x, &y);
        assert_eq!(merged, converge(&y, &x));
        let Record::Feedback(m) = &merged else {
            panic!("a feedback item stays one")
        };
        assert_eq!(m.history.len(), 3);
        assert_eq!(converge(&merged, &x), merged);
        assert_eq!(converge(&y, &merged), merged);
    }

    /// Three devices each make their own changes to one complaint, at random moments: however
    /// their copies meet, they settle on one item that holds every line any of them wrote.
    #[cfg(not(target_arch = "wasm32"))]
    mod laws {
        use super::*;
        use proptest::prelude::*;

        fn edited(edits: &[(u32, u8)]) -> Record {
            let mut item = complaint();
            for (minute, what) in edits {
                let t = at(*minute);
                match what % 3 {
                    0 => item.assign(&format!("Staff {minute}"), "Sara", t),
                    1 => item.write(&format!("Reply {minute}"), "", "Reza", t),
                    _ => item.write("", &format!("Note {minute}"), "Mina", t),
                }
                item.meta.touch(t);
            }
            Record::Feedback(item)
        }

        fn lines(r: &Record) -> usize {
            match r {
                Record::Feedback(i) => i.history.len(),
                _ => 0,
            }
        }

        proptest! {
            // A fixed seed, so a failure here is a failure everywhere and can be replayed.
            #![proptest_config(ProptestConfig {
                cases: 300,
                failure_persistence: None,
                rng_seed: proptest::test_runner::RngSeed::Fixed(17),
                .. ProptestConfig::default()
            })]
            #[test]
            fn copies_converge_in_any_order_and_keep_every_line(
                a in proptest::collection::vec((1u32..59, 0u8..3), 0..4),
                b in proptest::collection::vec((1u32..59, 0u8..3), 0..4),
                c in proptest::collection::vec((1u32..59, 0u8..3), 0..4),
            ) {
                let (x, y, z) = (edited(&a), edited(&b), edited(&c));
                let xy = converge(&x, &y);
                prop_assert_eq!(&xy, &converge(&y, &x));
                prop_assert_eq!(&converge(&xy, &z), &converge(&x, &converge(&y, &z)));
                prop_assert_eq!(&converge(&xy, &x), &xy);
                // A copy meeting itself is put in the merged order once, then stays.
                let xx = converge(&x, &x);
                prop_assert_eq!(&converge(&xx, &x), &xx);
                // Every line written anywhere is there, once: the shared "registered" line and
                // each device's own.
                let all = converge(&xy, &z);
                let own = |r: &Record| lines(&converge(r, r)) - 1;
                prop_assert!(lines(&all) <= 1 + own(&x) + own(&y) + own(&z));
                for copy in [&x, &y, &z] {
                    prop_assert!(lines(&all) > own(copy));
                }
            }
        }
    }
}
