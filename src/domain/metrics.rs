//! Satisfaction figures computed from cards: CSAT and NPS.

use super::card::Card;

/// Question id of the overall satisfaction rating (1–5) on the default card.
pub const OVERALL: &str = "overall";
/// Question id of the likelihood to recommend (0–10) on the default card.
pub const RECOMMEND: &str = "recommend";

/// CSAT and NPS over a set of cards, each with the number of answers it rests on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Cards with an overall rating.
    pub rated: usize,
    /// Share of overall ratings that are 4 or 5, in percent.
    pub csat: Option<f64>,
    /// Cards with a likelihood-to-recommend answer.
    pub recommended: usize,
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
    /// Percent promoters (9–10) minus percent detractors (0–6), from −100 to 100.
    pub nps: Option<f64>,
}

/// Computes the scores in one pass.
pub fn scores<'a>(cards: impl IntoIterator<Item = &'a Card>) -> Scores {
    let mut s = Scores::default();
    let mut satisfied = 0usize;
    for card in cards {
        if let Some(v) = card.rating(OVERALL) {
            s.rated += 1;
            if v >= 4 {
                satisfied += 1;
            }
        }
        if let Some(v) = card.rating(RECOMMEND) {
            s.recommended += 1;
            match v {
                9..=10 => s.promoters += 1,
                7..=8 => s.passives += 1,
                _ => s.detractors += 1,
            }
        }
    }
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of as f64;
    if s.rated > 0 {
        s.csat = Some(pct(satisfied, s.rated));
    }
    if s.recommended > 0 {
        s.nps = Some(pct(s.promoters, s.recommended) - pct(s.detractors, s.recommended));
    }
    s
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::{card::Answer, template::DEFAULT_TEMPLATE_ID, Meta};

    fn card(overall: Option<u8>, recommend: Option<u8>) -> Card {
        let mut answers = BTreeMap::new();
        if let Some(v) = overall {
            answers.insert(OVERALL.to_owned(), Answer::Rating(v));
        }
        if let Some(v) = recommend {
            answers.insert(RECOMMEND.to_owned(), Answer::Rating(v));
        }
        Card {
            meta: Meta::new(chrono::Utc::now()),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: String::new(),
            touchpoint: String::new(),
            answers,
        }
    }

    #[test]
    fn no_cards_give_no_figures_rather_than_zero() {
        let s = scores(&[]);
        assert_eq!((s.csat, s.nps, s.rated), (None, None, 0));
    }

    #[test]
    fn csat_is_the_share_of_fours_and_fives() {
        let cards = [
            card(Some(5), None),
            card(Some(4), None),
            card(Some(3), None),
            card(Some(1), None),
            card(None, None),
        ];
        let s = scores(&cards);
        assert_eq!(s.rated, 4);
        assert_eq!(s.csat, Some(50.0));
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        // 3 promoters (9, 10, 10), 1 passive (8), 2 detractors (6, 0): (3 − 2) / 6 = 16.67.
        let cards: Vec<Card> = [9, 10, 10, 8, 6, 0]
            .into_iter()
            .map(|v| card(None, Some(v)))
            .collect();
        let s = scores(&cards);
        assert_eq!((s.promoters, s.passives, s.detractors), (3, 1, 2));
        assert!((s.nps.unwrap() - 100.0 / 6.0).abs() < 1e-9);
        let all_detractors: Vec<Card> =
            [0, 3, 6].into_iter().map(|v| card(None, Some(v))).collect();
        assert_eq!(scores(&all_detractors).nps, Some(-100.0));
    }
}
