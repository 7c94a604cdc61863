//! The managers' figures from satisfaction cards, worked out in one pass: count, CSAT and NPS,
//! the mean per RATER dimension, the spread of the overall rating, a trend by period, and the
//! same by branch and by touchpoint. Every figure carries the number of answers it rests on, and
//! a share or mean over fewer than [`MIN_SAMPLE`] answers is withheld rather than shown.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate};
use uuid::Uuid;

use super::{
    card::Card,
    gap::rescale,
    metrics::{OVERALL, RECOMMEND},
    period::{self, Calendar, Span},
    rater::Dimension,
    template::{CardTemplate, QuestionKind},
};

/// Fewer answers than this make a share or a mean say more about chance than about service.
pub const MIN_SAMPLE: usize = 5;

/// A figure and how many answers it rests on; `value` is `None` below [`MIN_SAMPLE`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figure {
    pub value: Option<f64>,
    pub n: usize,
}

impl Figure {
    fn of(sum: f64, n: usize) -> Figure {
        Figure {
            value: (n >= MIN_SAMPLE).then(|| sum / n as f64),
            n,
        }
    }
}

/// Which cards count.
#[derive(Clone, Debug, Default)]
pub struct CardFilter {
    /// Local days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty for every branch.
    pub branch: String,
}

/// CSAT and NPS of a group of cards.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Satisfaction {
    pub cards: usize,
    /// Percent of overall ratings that are 4 or 5.
    pub csat: Figure,
    /// Percent promoters minus percent detractors.
    pub nps: Figure,
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
}

#[derive(Default)]
struct Tally {
    cards: usize,
    rated: usize,
    satisfied: usize,
    recommended: usize,
    promoters: usize,
    passives: usize,
    detractors: usize,
}

impl Tally {
    fn add(&mut self, card: &Card) {
        self.cards += 1;
        if let Some(v) = card.rating(OVERALL) {
            self.rated += 1;
            if v >= 4 {
                self.satisfied += 1;
            }
        }
        if let Some(v) = card.rating(RECOMMEND) {
            self.recommended += 1;
            match v {
                9..=10 => self.promoters += 1,
                7..=8 => self.passives += 1,
                _ => self.detractors += 1,
            }
        }
    }

    fn finish(&self) -> Satisfaction {
        let nps_sum = 100.0 * (self.promoters as f64 - self.detractors as f64);
        Satisfaction {
            cards: self.cards,
            csat: Figure::of(100.0 * self.satisfied as f64, self.rated),
            nps: Figure::of(nps_sum, self.recommended),
            promoters: self.promoters,
            passives: self.passives,
            detractors: self.detractors,
        }
    }
}

/// Everything the dashboard shows about cards.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardReport {
    pub all: Satisfaction,
    /// Mean per RATER dimension on a 1–5 scale (other scales moved onto it end to end).
    pub dimensions: BTreeMap<Dimension, Figure>,
    /// How many overall ratings were 1, 2, 3, 4 and 5.
    pub overall: [usize; 5],
    /// One row per period, oldest first, empty periods included.
    pub trend: Vec<(NaiveDate, Satisfaction)>,
    pub by_branch: Vec<(String, Satisfaction)>,
    pub by_touchpoint: Vec<(String, Satisfaction)>,
}

/// Most periods a trend shows.
pub const MAX_PERIODS: usize = 60;

/// The card figures for the cards the filter keeps. `template` finds a card's template, so its
/// dimension-tagged questions count; `offset` is the local time zone the days are read in.
pub fn card_report<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    template: impl Fn(Uuid) -> Option<&'a CardTemplate>,
    filter: &CardFilter,
    offset: FixedOffset,
    span: Span,
    calendar: Calendar,
) -> CardReport {
    let mut all = Tally::default();
    let mut dims: BTreeMap<Dimension, (f64, usize)> = BTreeMap::new();
    let mut overall = [0usize; 5];
    let mut periods: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut branches: BTreeMap<String, Tally> = BTreeMap::new();
    let mut touchpoints: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    for card in cards {
        let day = card.meta.created.with_timezone(&offset).date_naive();
        if filter.from.is_some_and(|f| day < f)
            || filter.to.is_some_and(|t| day > t)
            || (!filter.branch.is_empty() && card.branch != filter.branch)
        {
            continue;
        }
        first = Some(first.map_or(day, |f| f.min(day)));
        last = Some(last.map_or(day, |l| l.max(day)));
        all.add(card);
        periods
            .entry(period::start_of(day, span, calendar))
            .or_default()
            .add(card);
        branches.entry(card.branch.clone()).or_default().add(card);
        touchpoints
            .entry(card.touchpoint.clone())
            .or_default()
            .add(card);
        if let Some(v @ 1..=5) = card.rating(OVERALL) {
            overall[usize::from(v - 1)] += 1;
        }
        if let Some(t) = template(card.template) {
            for q in t.questions_of(card.template_version) {
                let (Some(d), QuestionKind::Rating { scale, .. }) = (q.dimension, &q.kind) else {
                    continue;
                };
                if let Some(v) = card.rating(&q.id).filter(|v| scale.range().contains(v)) {
                    let r = scale.range();
                    let on_five = rescale(
                        f64::from(v),
                        (f64::from(*r.start()), f64::from(*r.end())),
                        (1.0, 5.0),
                    );
                    let e = dims.entry(d).or_default();
                    e.0 += on_five;
                    e.1 += 1;
                }
            }
        }
    }
    // The trend runs over the whole chosen range, or the cards' own range when open-ended.
    let trend = match (filter.from.or(first), filter.to.or(last)) {
        (Some(from), Some(to)) => period::periods(from, to, span, calendar, MAX_PERIODS)
            .into_iter()
            .map(|start| {
                let s = periods.get(&start).map(Tally::finish).unwrap_or_default();
                (start, s)
            })
            .collect(),
        _ => Vec::new(),
    };
    let ranked = |groups: BTreeMap<String, Tally>| {
        let mut rows: Vec<(String, Satisfaction)> =
            groups.into_iter().map(|(k, t)| (k, t.finish())).collect();
        rows.sort_by(|a, b| b.1.cards.cmp(&a.1.cards).then(a.0.cmp(&b.0)));
        rows
    };
    CardReport {
        all: all.finish(),
        dimensions: Dimension::ALL
            .iter()
            .map(|d| {
                let (sum, n) = dims.get(d).copied().unwrap_or_default();
                (*d, Figure::of(sum, n))
            })
            .collect(),
        overall,
        trend,
        by_branch: ranked(branches),
        by_touchpoint: ranked(touchpoints),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{card::Answer, template::DEFAULT_TEMPLATE_ID, text::Bilingual, Meta};
    use chrono::{DateTime, Utc};

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn default_template() -> CardTemplate {
        CardTemplate::default_card(Meta::new(Utc::now()), &|k| Bilingual::new(k, k))
    }

    fn card(at: &str, branch: &str, answers: &[(&str, u8)]) -> Card {
        let at: DateTime<Utc> = at.parse().unwrap();
        Card {
            meta: Meta::new(at),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: branch.into(),
            touchpoint: "counter".into(),
            answers: answers
                .iter()
                .map(|(q, v)| ((*q).to_owned(), Answer::Rating(*v)))
                .collect(),
        }
    }

    fn report(cards: &[Card], filter: &CardFilter) -> CardReport {
        let t = default_template();
        card_report(
            cards,
            |_| Some(&t),
            filter,
            utc(),
            Span::Month,
            Calendar::Gregorian,
        )
    }

    #[test]
    fn no_cards_give_no_figures_and_no_trend() {
        let r = report(&[], &CardFilter::default());
        assert_eq!(r.all, Satisfaction::default());
        assert_eq!(r.overall, [0; 5]);
        assert!(r.trend.is_empty());
        assert!(r.dimensions.values().all(|f| *f == Figure::default()));
    }

    #[test]
    fn fewer_than_five_answers_withhold_the_share_but_keep_the_count() {
        let cards: Vec<Card> = (1..=4)
            .map(|v| card("2026-11-01T10:00:00Z", "Tajrish", &[("overall", v)]))
            .collect();
        let r = report(&cards, &CardFilter::default());
        assert_eq!(r.all.cards, 4);
        assert_eq!(r.all.csat, Figure { value: None, n: 4 });
        assert_eq!(r.overall, [1, 1, 1, 1, 0]);
    }

    /// Ten cards worked by hand: overall 5,5,4,4,3,2,1,5,4,3 → 6 of 10 are 4–5, CSAT 60%.
    /// Recommend 10,9,9,8,7,6,0,10,5,9 → 5 promoters, 2 passives, 3 detractors, NPS 20.
    /// Responsiveness 5,4,4,3,2,1,1,5,4,3 → mean 3.2.
    #[test]
    fn ten_cards_worked_by_hand() {
        let overall = [5, 5, 4, 4, 3, 2, 1, 5, 4, 3];
        let recommend = [10, 9, 9, 8, 7, 6, 0, 10, 5, 9];
        let responsive = [5, 4, 4, 3, 2, 1, 1, 5, 4, 3];
        let cards: Vec<Card> = (0..10)
            .map(|i| {
                card(
                    &format!("2026-10-{:02}T10:00:00Z", i + 1),
                    if i < 6 { "Tajrish" } else { "Vanak" },
                    &[
                        ("overall", overall[i]),
                        ("recommend", recommend[i]),
                        ("rater_responsiveness", responsive[i]),
                    ],
                )
            })
            .collect();
        let r = report(&cards, &CardFilter::default());
        assert_eq!(r.all.cards, 10);
        assert_eq!(r.all.csat.value, Some(60.0));
        assert_eq!(r.all.nps.value, Some(20.0));
        assert_eq!(
            (r.all.promoters, r.all.passives, r.all.detractors),
            (5, 2, 3)
        );
        let resp = r.dimensions[&Dimension::Responsiveness];
        assert_eq!(resp.n, 10);
        assert!((resp.value.unwrap() - 3.2).abs() < 1e-9);
        assert_eq!(r.dimensions[&Dimension::Empathy], Figure::default());
        assert_eq!(r.overall, [1, 1, 2, 3, 3]);
        // Branches, most cards first: Tajrish 6 (csat 4 of 6), Vanak 4 (too few).
        assert_eq!(r.by_branch[0].0, "Tajrish");
        assert_eq!(r.by_branch[0].1.cards, 6);
        let tajrish = r.by_branch[0].1.csat.value.unwrap();
        assert!((tajrish - 400.0 / 6.0).abs() < 1e-9);
        assert_eq!(r.by_branch[1].1.csat, Figure { value: None, n: 4 });
        assert_eq!(r.by_touchpoint, vec![("counter".to_owned(), r.all)]);
    }

    #[test]
    fn the_filter_keeps_its_days_and_branch_and_the_trend_covers_the_whole_range() {
        let cards = vec![
            card("2026-09-30T23:00:00Z", "Tajrish", &[("overall", 5)]),
            card("2026-10-01T00:30:00Z", "Tajrish", &[("overall", 4)]),
            card("2026-12-15T10:00:00Z", "Tajrish", &[("overall", 2)]),
            card("2026-10-10T10:00:00Z", "Vanak", &[("overall", 1)]),
        ];
        let filter = CardFilter {
            from: Some("2026-10-01".parse().unwrap()),
            to: Some("2026-12-31".parse().unwrap()),
            branch: "Tajrish".into(),
        };
        let r = report(&cards, &filter);
        assert_eq!(r.all.cards, 2);
        let months: Vec<(String, usize)> = r
            .trend
            .iter()
            .map(|(d, s)| (d.to_string(), s.cards))
            .collect();
        assert_eq!(
            months,
            [
                ("2026-10-01".to_owned(), 1),
                ("2026-11-01".to_owned(), 0),
                ("2026-12-01".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn days_are_read_in_local_time_and_trends_follow_the_jalali_calendar() {
        // 23:00 UTC on 2026-03-20 is already 2026-03-21, Nowruz, in Tehran.
        let cards = vec![
            card("2026-03-20T23:00:00Z", "", &[("overall", 5)]),
            card("2026-03-20T10:00:00Z", "", &[("overall", 5)]),
        ];
        let t = default_template();
        let tehran = FixedOffset::east_opt(3 * 3600 + 1800).unwrap();
        let r = card_report(
            &cards,
            |_| Some(&t),
            &CardFilter::default(),
            tehran,
            Span::Month,
            Calendar::Jalali,
        );
        let months: Vec<(String, usize)> = r
            .trend
            .iter()
            .map(|(d, s)| (d.to_string(), s.cards))
            .collect();
        // Esfand 1404 starts 2026-02-20, Farvardin 1405 on 2026-03-21.
        assert_eq!(
            months,
            [("2026-02-20".to_owned(), 1), ("2026-03-21".to_owned(), 1)]
        );
    }
}
