//! Gap analysis: what an assessment's ratings say per dimension, how dimensions rank, how two
//! assessments compare, how gaps move over time, and what customers' cards say beside them.
//!
//! Definitions (shown to users on the results screen as well):
//! - A guiding question counts once both its current and its desired rating are given.
//! - Current and desired of a dimension are the means over its counted questions; the gap is
//!   desired − current.
//! - Weighted priority = gap × relative weight, where the relative weight is the dimension's
//!   weight divided by the mean weight of the model's dimensions. With equal weights the
//!   priority is the gap itself.
//! - Dimensions rank by priority, highest first; ties go to the larger gap, then to the model's
//!   order. Dimensions with no counted question rank last.
//! - Customers' ratings are moved onto the assessment's 1–7 scale linearly, so that the ends of
//!   each scale meet: v on a..=b becomes 1 + (v − a) × 6 / (b − a). A 1–5 card rating of 3
//!   becomes 4, the middle of 1–7.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    assessment::{Assessment, ItemRating},
    card::Card,
    model::{Model, Weights, SCALE},
    rater::Dimension,
    template::{CardTemplate, QuestionKind, Scale},
};

/// One dimension's result in one assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionGap {
    pub dimension: String,
    /// Questions with both ratings given, and all the dimension's questions.
    pub counted: usize,
    pub items: usize,
    pub current: Option<f64>,
    pub desired: Option<f64>,
    pub gap: Option<f64>,
    /// The dimension's weight over the mean weight of the model's dimensions.
    pub relative_weight: f64,
    pub priority: Option<f64>,
    /// 1 for the highest priority; `None` when nothing was counted.
    pub rank: Option<usize>,
}

/// The relative weight of each of the model's dimensions.
pub fn relative_weights(model: &Model, rater: &BTreeMap<Dimension, f64>) -> Vec<f64> {
    let raw: Vec<f64> = model
        .dimensions
        .iter()
        .map(|d| match model.weights {
            Weights::Equal => 1.0,
            Weights::Rater => model
                .rater_dimension(d)
                .and_then(|r| rater.get(&r).copied())
                .filter(|w| w.is_finite() && *w >= 0.0)
                .unwrap_or(0.0),
        })
        .collect();
    let mean = raw.iter().sum::<f64>() / raw.len().max(1) as f64;
    if mean > 0.0 {
        raw.iter().map(|w| w / mean).collect()
    } else {
        // No usable weights at all: every dimension counts the same.
        vec![1.0; raw.len()]
    }
}

/// Per-dimension results in the model's order, with ranks.
pub fn gaps(
    model: &Model,
    ratings: &BTreeMap<String, ItemRating>,
    weights: &BTreeMap<Dimension, f64>,
) -> Vec<DimensionGap> {
    let relative = relative_weights(model, weights);
    let mut out: Vec<DimensionGap> = model
        .dimensions
        .iter()
        .zip(relative)
        .map(|(dimension, relative_weight)| {
            let pairs: Vec<(f64, f64)> = model
                .items_of(dimension)
                .filter_map(|item| ratings.get(&item.id))
                .filter_map(|r| Some((f64::from(r.current?), f64::from(r.desired?))))
                .collect();
            let counted = pairs.len();
            let mean = |f: fn(&(f64, f64)) -> f64| {
                (counted > 0).then(|| pairs.iter().map(f).sum::<f64>() / counted as f64)
            };
            let current = mean(|p| p.0);
            let desired = mean(|p| p.1);
            let gap = current.zip(desired).map(|(c, d)| d - c);
            DimensionGap {
                dimension: dimension.clone(),
                counted,
                items: model.items_of(dimension).count(),
                current,
                desired,
                gap,
                relative_weight,
                priority: gap.map(|g| g * relative_weight),
                rank: None,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..out.len()).filter(|&i| out[i].gap.is_some()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| (out[i].priority.unwrap_or(0.0), out[i].gap.unwrap_or(0.0));
        let (pa, ga) = key(a);
        let (pb, gb) = key(b);
        pb.total_cmp(&pa).then(gb.total_cmp(&ga)).then(a.cmp(&b))
    });
    for (rank, i) in order.into_iter().enumerate() {
        out[i].rank = Some(rank + 1);
    }
    out
}

/// The results in rank order: ranked dimensions first, then those with nothing counted.
pub fn by_rank(gaps: &[DimensionGap]) -> Vec<&DimensionGap> {
    let mut sorted: Vec<&DimensionGap> = gaps.iter().collect();
    sorted.sort_by_key(|g| g.rank.unwrap_or(usize::MAX));
    sorted
}

/// How many of the model's questions have both ratings, of how many.
pub fn progress(model: &Model, ratings: &BTreeMap<String, ItemRating>) -> (usize, usize) {
    let done = model
        .items
        .iter()
        .filter(|i| {
            ratings
                .get(&i.id)
                .is_some_and(|r| r.current.is_some() && r.desired.is_some())
        })
        .count();
    (done, model.items.len())
}

/// Moves a value on the scale `from` linearly onto the scale `to`, ends onto ends.
pub fn rescale(value: f64, from: (f64, f64), to: (f64, f64)) -> f64 {
    if from.1 == from.0 {
        return to.0;
    }
    to.0 + (value - from.0) * (to.1 - to.0) / (from.1 - from.0)
}

/// A card rating on the assessment's 1–7 scale.
pub fn to_assessment_scale(value: u8, scale: Scale) -> f64 {
    let range = scale.range();
    rescale(
        f64::from(value),
        (f64::from(*range.start()), f64::from(*range.end())),
        (f64::from(*SCALE.start()), f64::from(*SCALE.end())),
    )
}

/// What customers' cards say about one RATER dimension, on the 1–7 scale.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerMean {
    pub mean: Option<f64>,
    /// How many ratings the mean is made of.
    pub answers: usize,
}

/// Means of customers' ratings per RATER dimension over the given cards, each rating moved onto
/// 1–7 from its own scale. A rating counts when its question (in the version of the template the
/// card answered) is tagged with a dimension. `template` finds a card's template.
pub fn customer_means<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    template: impl Fn(Uuid) -> Option<&'a CardTemplate>,
) -> BTreeMap<Dimension, CustomerMean> {
    let mut sums: BTreeMap<Dimension, (f64, usize)> = BTreeMap::new();
    for card in cards {
        let Some(t) = template(card.template) else {
            continue;
        };
        for q in t.questions_of(card.template_version) {
            let (Some(dimension), QuestionKind::Rating { scale, .. }) = (q.dimension, &q.kind)
            else {
                continue;
            };
            if let Some(v) = card.rating(&q.id).filter(|v| scale.range().contains(v)) {
                let entry = sums.entry(dimension).or_default();
                entry.0 += to_assessment_scale(v, *scale);
                entry.1 += 1;
            }
        }
    }
    Dimension::ALL
        .iter()
        .map(|d| {
            let (sum, n) = sums.get(d).copied().unwrap_or_default();
            let mean = (n > 0).then(|| sum / n as f64);
            (*d, CustomerMean { mean, answers: n })
        })
        .collect()
}

/// One dimension's gap in two assessments.
#[derive(Clone, Debug, PartialEq)]
pub struct GapChange {
    pub dimension: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// after − before: below zero the gap is closing.
    pub change: Option<f64>,
}

/// The gap change per dimension from an earlier to a later result of the same model.
pub fn compare(before: &[DimensionGap], after: &[DimensionGap]) -> Vec<GapChange> {
    before
        .iter()
        .map(|b| {
            let a = after
                .iter()
                .find(|a| a.dimension == b.dimension)
                .and_then(|a| a.gap);
            GapChange {
                dimension: b.dimension.clone(),
                before: b.gap,
                after: a,
                change: b.gap.zip(a).map(|(b, a)| a - b),
            }
        })
        .collect()
}

/// One point of a trend: an assessment's date and its gap per dimension (model order).
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub id: Uuid,
    pub date: NaiveDate,
    pub gaps: Vec<Option<f64>>,
}

/// Each dimension's gap over time across assessments of one model, oldest first.
pub fn trend<'a>(
    model: &Model,
    assessments: impl IntoIterator<Item = &'a Assessment>,
    weights: &BTreeMap<Dimension, f64>,
) -> Vec<TrendPoint> {
    let mut points: Vec<(NaiveDate, chrono::DateTime<chrono::Utc>, TrendPoint)> = assessments
        .into_iter()
        .filter(|a| a.model == model.id)
        .map(|a| {
            let gaps = gaps(model, &a.ratings, weights)
                .into_iter()
                .map(|g| g.gap)
                .collect();
            (
                a.date,
                a.meta.created,
                TrendPoint {
                    id: a.meta.id,
                    date: a.date,
                    gaps,
                },
            )
        })
        .collect();
    points.sort_by_key(|p| (p.0, p.1));
    points.into_iter().map(|p| p.2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        assessment::ItemRating,
        model,
        settings::Settings,
        template::{Anchors, Question},
        text::Bilingual,
        Meta,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn default_weights() -> BTreeMap<Dimension, f64> {
        Settings::defaults(chrono::Utc::now()).weights
    }

    /// A RATER assessment worked by hand. Each row: dimension, the (current, desired) pairs of its
    /// questions in order, then the expected mean current, mean desired, gap, relative weight
    /// (default weight / 20, the mean of 32, 19, 11, 16 and 22), priority and rank.
    #[allow(clippy::type_complexity)]
    const WORKED: [(&str, &[(u8, u8)], f64, f64, f64, f64, f64, usize); 5] = [
        (
            "reliability",
            &[(3, 6), (4, 6), (2, 5), (5, 7)],
            3.5,
            6.0,
            2.5,
            1.6,
            4.0,
            1,
        ),
        (
            "assurance",
            &[(5, 6), (4, 6), (6, 6)],
            5.0,
            6.0,
            1.0,
            0.95,
            0.95,
            4,
        ),
        (
            "tangibles",
            &[(6, 6), (5, 5), (4, 6), (6, 7), (5, 6)],
            5.2,
            6.0,
            0.8,
            0.55,
            0.44,
            5,
        ),
        (
            "empathy",
            &[(3, 6), (4, 7), (3, 6), (5, 6), (4, 6), (5, 5)],
            4.0,
            6.0,
            2.0,
            0.8,
            1.6,
            3,
        ),
        (
            "responsiveness",
            &[(2, 6), (3, 6), (4, 6), (3, 6)],
            3.0,
            6.0,
            3.0,
            1.1,
            3.3,
            2,
        ),
    ];

    fn worked_ratings() -> BTreeMap<String, ItemRating> {
        let rater = model::get("rater").unwrap();
        let mut ratings = BTreeMap::new();
        for (dimension, pairs, ..) in WORKED {
            for (item, (c, d)) in rater.items_of(dimension).zip(pairs.iter()) {
                ratings.insert(
                    item.id.clone(),
                    ItemRating {
                        current: Some(*c),
                        desired: Some(*d),
                        note: String::new(),
                    },
                );
            }
        }
        ratings
    }

    #[test]
    fn the_worked_example_gives_the_hand_computed_means_gaps_priorities_and_ranks() {
        let rater = model::get("rater").unwrap();
        let results = gaps(rater, &worked_ratings(), &default_weights());
        for (row, (dimension, pairs, current, desired, gap, weight, priority, rank)) in
            results.iter().zip(WORKED)
        {
            assert_eq!(row.dimension, dimension);
            assert_eq!(row.counted, pairs.len());
            assert_eq!(row.items, pairs.len());
            assert!(close(row.current.unwrap(), current), "{dimension} current");
            assert!(close(row.desired.unwrap(), desired), "{dimension} desired");
            assert!(close(row.gap.unwrap(), gap), "{dimension} gap");
            assert!(close(row.relative_weight, weight), "{dimension} weight");
            assert!(
                close(row.priority.unwrap(), priority),
                "{dimension} priority"
            );
            assert_eq!(row.rank, Some(rank), "{dimension} rank");
        }
        // Reliability's gap is smaller than responsiveness's, but its weight puts it first.
        let order: Vec<&str> = by_rank(&results)
            .iter()
            .map(|g| g.dimension.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "reliability",
                "responsiveness",
                "empathy",
                "assurance",
                "tangibles"
            ]
        );
    }

    #[test]
    fn a_question_counts_only_once_both_ratings_are_given() {
        let rater = model::get("rater").unwrap();
        let mut ratings = BTreeMap::new();
        let items: Vec<_> = rater.items_of("reliability").collect();
        let rate = |c, d| ItemRating {
            current: c,
            desired: d,
            note: String::new(),
        };
        ratings.insert(items[0].id.clone(), rate(Some(2), Some(6)));
        ratings.insert(items[1].id.clone(), rate(Some(1), None));
        ratings.insert(items[2].id.clone(), rate(None, Some(7)));
        let results = gaps(rater, &ratings, &default_weights());
        assert_eq!(results[0].counted, 1);
        assert!(close(results[0].gap.unwrap(), 4.0));
        assert_eq!(results[0].rank, Some(1));
        for unrated in &results[1..] {
            assert_eq!((unrated.gap, unrated.rank), (None, None));
        }
        assert_eq!(progress(rater, &ratings), (1, 22));
        assert_eq!(progress(rater, &worked_ratings()), (22, 22));
    }

    #[test]
    fn equal_weights_make_the_priority_the_gap_and_ties_keep_the_model_order() {
        let prompt = model::get("prompt").unwrap();
        let mut ratings = BTreeMap::new();
        for item in &prompt.items {
            ratings.insert(
                item.id.clone(),
                ItemRating {
                    current: Some(4),
                    desired: Some(6),
                    note: String::new(),
                },
            );
        }
        let results = gaps(prompt, &ratings, &default_weights());
        for (i, r) in results.iter().enumerate() {
            assert!(close(r.relative_weight, 1.0));
            assert!(close(r.priority.unwrap(), 2.0));
            assert_eq!(r.rank, Some(i + 1));
        }
    }

    #[test]
    fn a_dimension_above_its_target_has_a_negative_gap_and_ranks_below_the_rest() {
        let rater = model::get("rater").unwrap();
        let mut ratings = worked_ratings();
        for item in rater.items_of("reliability") {
            ratings.insert(
                item.id.clone(),
                ItemRating {
                    current: Some(7),
                    desired: Some(5),
                    note: String::new(),
                },
            );
        }
        let results = gaps(rater, &ratings, &default_weights());
        assert!(close(results[0].gap.unwrap(), -2.0));
        assert_eq!(results[0].rank, Some(5));
    }

    #[test]
    fn weights_that_are_all_zero_count_every_dimension_the_same() {
        let rater = model::get("rater").unwrap();
        let zero: BTreeMap<Dimension, f64> = Dimension::ALL.iter().map(|d| (*d, 0.0)).collect();
        assert_eq!(relative_weights(rater, &zero), vec![1.0; 5]);
        let mut one = zero.clone();
        one.insert(Dimension::Empathy, 5.0);
        assert_eq!(relative_weights(rater, &one), vec![0.0, 0.0, 0.0, 5.0, 0.0]);
    }

    #[test]
    fn card_scales_map_onto_one_to_seven_end_to_end() {
        for (value, scale, expected) in [
            (1, Scale::OneToFive, 1.0),
            (3, Scale::OneToFive, 4.0),
            (4, Scale::OneToFive, 5.5),
            (5, Scale::OneToFive, 7.0),
            (0, Scale::ZeroToTen, 1.0),
            (5, Scale::ZeroToTen, 4.0),
            (10, Scale::ZeroToTen, 7.0),
            (6, Scale::OneToSeven, 6.0),
        ] {
            assert!(
                close(to_assessment_scale(value, scale), expected),
                "{value} on {scale:?}"
            );
        }
        assert!(close(rescale(5.0, (3.0, 3.0), (1.0, 7.0)), 1.0));
    }

    fn template(version: u32, questions: Vec<Question>) -> CardTemplate {
        CardTemplate {
            meta: Meta::new(chrono::Utc::now()),
            name: Bilingual::new("t", "t"),
            version,
            archived: false,
            questions,
            previous: Vec::new(),
        }
    }

    fn rating_question(id: &str, scale: Scale, dimension: Option<Dimension>) -> Question {
        Question {
            id: id.to_owned(),
            text: Bilingual::new(id, id),
            kind: QuestionKind::Rating {
                scale,
                anchors: Anchors::Numbers,
            },
            required: false,
            dimension,
        }
    }

    fn card(template: &CardTemplate, answers: &[(&str, u8)]) -> Card {
        Card {
            meta: Meta::new(chrono::Utc::now()),
            template: template.meta.id,
            template_version: template.version,
            lang: "en".into(),
            branch: String::new(),
            touchpoint: String::new(),
            answers: answers
                .iter()
                .map(|(q, v)| ((*q).to_owned(), crate::domain::card::Answer::Rating(*v)))
                .collect(),
        }
    }

    #[test]
    fn customers_ratings_are_averaged_per_dimension_on_the_seven_point_scale() {
        let five = template(
            1,
            vec![
                rating_question("overall", Scale::OneToFive, None),
                rating_question("fast", Scale::OneToFive, Some(Dimension::Responsiveness)),
            ],
        );
        let seven = template(
            1,
            vec![rating_question(
                "quick",
                Scale::OneToSeven,
                Some(Dimension::Responsiveness),
            )],
        );
        let cards = [
            card(&five, &[("overall", 1), ("fast", 5)]),
            card(&five, &[("fast", 3)]),
            card(&seven, &[("quick", 2)]),
            card(&five, &[("overall", 4)]),
        ];
        let templates = [five.clone(), seven.clone()];
        let means = customer_means(&cards, |id| templates.iter().find(|t| t.meta.id == id));
        let r = &means[&Dimension::Responsiveness];
        assert_eq!(r.answers, 3);
        // (7 + 4 + 2) / 3
        assert!(close(r.mean.unwrap(), 13.0 / 3.0));
        assert_eq!(means[&Dimension::Empathy], CustomerMean::default());
        assert_eq!(means.len(), 5);
    }

    #[test]
    fn comparing_two_assessments_gives_the_gap_change_per_dimension() {
        let rater = model::get("rater").unwrap();
        let before = gaps(rater, &worked_ratings(), &default_weights());
        let mut improved = worked_ratings();
        for item in rater.items_of("responsiveness") {
            improved.get_mut(&item.id).unwrap().current = Some(5);
        }
        improved.retain(|id, _| !rater.items_of("tangibles").any(|i| &i.id == id));
        let after = gaps(rater, &improved, &default_weights());
        let changes = compare(&before, &after);
        assert!(close(changes[0].change.unwrap(), 0.0));
        assert_eq!(changes[4].dimension, "responsiveness");
        assert!(close(changes[4].before.unwrap(), 3.0));
        assert!(close(changes[4].after.unwrap(), 1.0));
        assert!(close(changes[4].change.unwrap(), -2.0));
        assert_eq!((changes[2].after, changes[2].change), (None, None));
    }

    #[test]
    fn the_trend_lists_one_models_assessments_oldest_first() {
        let rater = model::get("rater").unwrap();
        let make = |model: &str, day: u32, current: u8| Assessment {
            meta: Meta::new(chrono::Utc::now()),
            model: model.into(),
            assessor: String::new(),
            team: String::new(),
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            ratings: rater
                .items
                .iter()
                .map(|i| {
                    (
                        i.id.clone(),
                        ItemRating {
                            current: Some(current),
                            desired: Some(6),
                            note: String::new(),
                        },
                    )
                })
                .collect(),
            actions: Vec::new(),
            finished: true,
        };
        let list = [
            make("rater", 20, 5),
            make("rater", 1, 2),
            make("prompt", 5, 1),
        ];
        let points = trend(rater, &list, &default_weights());
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].date.to_string(), "2026-03-01");
        assert_eq!(points[0].gaps, vec![Some(4.0); 5]);
        assert_eq!(points[1].gaps, vec![Some(1.0); 5]);
    }
}
