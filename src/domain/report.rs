//! The managers' figures from satisfaction cards, worked out in one pass: count, CSAT and NPS,
//! the mean per RATER dimension, the spread of the overall rating, a trend by period, and the
//! same by branch and by touchpoint. Every figure carries the number of answers it rests on, and
//! a share or mean over fewer than [`MIN_SAMPLE`] answers is withheld rather than shown.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    assessment::{ActionStatus, Assessment},
    card::{Answer, Card},
    feedback::{Change, Channel, Event, FeedbackItem, FeedbackKind, Status},
    gap::{self, DimensionGap},
    metrics::{OVERALL, RECOMMEND},
    model::Model,
    period::{self, Calendar, Span},
    rater::Dimension,
    sla,
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
    /// The share of `n` that `part` is, in percent.
    pub fn share(part: usize, n: usize) -> Figure {
        Figure::of(100.0 * part as f64, n)
    }

    fn of(sum: f64, n: usize) -> Figure {
        Figure {
            value: (n >= MIN_SAMPLE).then(|| sum / n as f64),
            n,
        }
    }
}

/// Which cards count.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardFilter {
    /// Local days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty for every branch.
    pub branch: String,
}

impl CardFilter {
    /// Whether the card counts, its day read in the time zone `offset`.
    pub fn keeps(&self, card: &Card, offset: FixedOffset) -> bool {
        self.keeps_on(local_day(card.meta.created, offset), card)
    }

    fn keeps_on(&self, day: NaiveDate, card: &Card) -> bool {
        in_range(day, self.from, self.to) && (self.branch.is_empty() || card.branch == self.branch)
    }
}

fn local_day(at: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    at.with_timezone(&offset).date_naive()
}

fn in_range(day: NaiveDate, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
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

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Tally {
    cards: usize,
    rated: usize,
    satisfied: usize,
    recommended: usize,
    promoters: usize,
    passives: usize,
    detractors: usize,
}

impl Tally {
    /// The tally of a row of the server's `cards` view (see `figures`).
    pub(crate) fn from_counts(c: &[u64]) -> Tally {
        let at = |i: usize| c.get(i).copied().unwrap_or(0) as usize;
        Tally {
            cards: at(0),
            rated: at(1),
            satisfied: at(2),
            recommended: at(3),
            promoters: at(4),
            passives: at(5),
            detractors: at(6),
        }
    }

    /// Counts a card with its overall rating and its likelihood to recommend, if given.
    fn add(&mut self, overall: Option<u8>, recommend: Option<u8>) {
        self.cards += 1;
        if let Some(v) = overall {
            self.rated += 1;
            if v >= 4 {
                self.satisfied += 1;
            }
        }
        if let Some(v) = recommend {
            self.recommended += 1;
            match v {
                9..=10 => self.promoters += 1,
                7..=8 => self.passives += 1,
                _ => self.detractors += 1,
            }
        }
    }

    pub(crate) fn merge(&mut self, o: &Tally) {
        self.cards += o.cards;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.recommended += o.recommended;
        self.promoters += o.promoters;
        self.passives += o.passives;
        self.detractors += o.detractors;
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
    pub by_branch: Vec<(String, Satisfaction)>,
    pub by_touchpoint: Vec<(String, Satisfaction)>,
    /// The cards of each day, oldest first: a trend of any span is summed from them, so
    /// changing the span does not go over the cards again.
    days: Vec<(NaiveDate, Tally)>,
    /// The days the trend covers: the chosen range, or the cards' own where it is open.
    range: Option<(NaiveDate, NaiveDate)>,
}

impl CardReport {
    /// A report made of totals counted elsewhere (the shop's server): the cards of each day,
    /// of each branch and of each touchpoint, the overall ratings and each dimension's sums.
    /// Ranked and rounded exactly as [`card_report`] does.
    pub(crate) fn from_parts(
        days: Vec<(NaiveDate, Tally)>,
        branches: Vec<(String, Tally)>,
        touchpoints: Vec<(String, Tally)>,
        overall: [usize; 5],
        dims: &[DimSum; 5],
        filter: &CardFilter,
    ) -> CardReport {
        let mut all = Tally::default();
        for (_, t) in &days {
            all.merge(t);
        }
        let first = days.first().map(|(d, _)| *d);
        let last = days.last().map(|(d, _)| *d);
        CardReport {
            all: all.finish(),
            dimensions: Dimension::ALL
                .iter()
                .zip(dims)
                .map(|(d, sum)| (*d, sum.figure()))
                .collect(),
            overall,
            by_branch: ranked(branches),
            by_touchpoint: ranked(touchpoints),
            days,
            range: filter.from.or(first).zip(filter.to.or(last)),
        }
    }

    /// One row per period of `span` in `calendar`, oldest first, empty periods included.
    pub fn trend(&self, span: Span, calendar: Calendar) -> Vec<(NaiveDate, Satisfaction)> {
        roll_up(&self.days, self.range, span, calendar, |a, b| a.merge(b))
            .into_iter()
            .map(|(start, t)| (start, t.finish()))
            .collect()
    }
}

/// Sums daily figures into periods over `range`, keeping empty periods.
fn roll_up<T: Default + Clone>(
    days: &[(NaiveDate, T)],
    range: Option<(NaiveDate, NaiveDate)>,
    span: Span,
    calendar: Calendar,
    add: impl Fn(&mut T, &T),
) -> Vec<(NaiveDate, T)> {
    let Some((from, to)) = range else {
        return Vec::new();
    };
    let mut out: Vec<(NaiveDate, T)> = period::periods(from, to, span, calendar, MAX_PERIODS)
        .into_iter()
        .map(|start| (start, T::default()))
        .collect();
    for (day, v) in days {
        let start = period::start_of(*day, span, calendar);
        if let Ok(k) = out.binary_search_by_key(&start, |(s, _)| *s) {
            add(&mut out[k].1, v);
        }
    }
    out
}

/// The ratings of one RATER dimension, kept as whole numbers by the width of their scale
/// (4 for 1–5, 6 for 1–7, 10 for 0–10): how many, and how far above the scale's low end they
/// sum to. The mean on 1–5 is worked out from these at the end, the same way whether they were
/// counted here or by the shop's server, so both give the same figure to the last digit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DimSum {
    by_width: BTreeMap<u8, (u64, usize)>,
}

impl DimSum {
    /// Adds `n` ratings `above` the low end of a scale `width` wide, summed.
    pub fn add(&mut self, width: u8, above: u64, n: usize) {
        let e = self.by_width.entry(width).or_default();
        e.0 += above;
        e.1 += n;
    }

    /// The mean on 1–5, each scale moved onto it end to end.
    pub fn figure(&self) -> Figure {
        let (mut sum, mut n) = (0.0, 0);
        for (&width, &(above, count)) in &self.by_width {
            sum += if width == 0 {
                count as f64
            } else {
                count as f64 + 4.0 * above as f64 / f64::from(width)
            };
            n += count;
        }
        Figure::of(sum, n)
    }
}

/// A rating question of a template version tagged with a RATER dimension, and its scale.
pub(crate) struct DimensionQuestion {
    pub id: String,
    /// Place of the dimension in [`Dimension::ALL`].
    pub dimension: usize,
    pub low: u8,
    pub high: u8,
}

pub(crate) fn dimension_questions(t: &CardTemplate, version: u32) -> Vec<DimensionQuestion> {
    t.questions_of(version)
        .iter()
        .filter_map(|q| match (q.dimension, &q.kind) {
            (Some(d), QuestionKind::Rating { scale, .. }) => Some(DimensionQuestion {
                id: q.id.clone(),
                dimension: Dimension::ALL.iter().position(|x| *x == d)?,
                low: *scale.range().start(),
                high: *scale.range().end(),
            }),
            _ => None,
        })
        .collect()
}

/// Most periods a trend shows.
pub const MAX_PERIODS: usize = 60;

/// The card figures for the cards the filter keeps, in one pass. `template` finds a card's
/// template, so its dimension-tagged questions count; `offset` is the local time zone the days
/// are read in.
pub fn card_report<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    template: impl Fn(Uuid) -> Option<&'a CardTemplate>,
    filter: &CardFilter,
    offset: FixedOffset,
) -> CardReport {
    let mut all = Tally::default();
    let mut dims: [DimSum; 5] = Default::default();
    let mut overall = [0usize; 5];
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut branches: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut touchpoints: BTreeMap<&str, Tally> = BTreeMap::new();
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    // Worked out once per template version rather than once per card.
    let mut asked: Vec<((Uuid, u32), Vec<DimensionQuestion>)> = Vec::new();
    for card in cards {
        let day = local_day(card.meta.created, offset);
        if !filter.keeps_on(day, card) {
            continue;
        }
        first = Some(first.map_or(day, |f| f.min(day)));
        last = Some(last.map_or(day, |l| l.max(day)));
        let version = (card.template, card.template_version);
        let k = match asked.iter().position(|(v, _)| *v == version) {
            Some(k) => k,
            None => {
                let questions = template(card.template)
                    .map(|t| dimension_questions(t, card.template_version))
                    .unwrap_or_default();
                asked.push((version, questions));
                asked.len() - 1
            }
        };
        // One walk over the card's few answers rather than a search per question.
        let (mut o, mut r) = (None, None);
        for (id, answer) in &card.answers {
            let Answer::Rating(v) = *answer else {
                continue;
            };
            match id.as_str() {
                OVERALL => o = Some(v),
                RECOMMEND => r = Some(v),
                id => {
                    let q = asked[k].1.iter().find(|q| q.id == id);
                    if let Some(q) = q.filter(|q| (q.low..=q.high).contains(&v)) {
                        dims[q.dimension].add(q.high - q.low, u64::from(v - q.low), 1);
                    }
                }
            }
        }
        all.add(o, r);
        days.entry(day).or_default().add(o, r);
        branches.entry(&card.branch).or_default().add(o, r);
        touchpoints.entry(&card.touchpoint).or_default().add(o, r);
        if let Some(v @ 1..=5) = o {
            overall[usize::from(v - 1)] += 1;
        }
    }
    let owned = |groups: BTreeMap<&str, Tally>| {
        groups
            .into_iter()
            .map(|(k, t)| (k.to_owned(), t))
            .collect::<Vec<_>>()
    };
    CardReport {
        all: all.finish(),
        dimensions: Dimension::ALL
            .iter()
            .zip(&dims)
            .map(|(d, sum)| (*d, sum.figure()))
            .collect(),
        overall,
        by_branch: ranked(owned(branches)),
        by_touchpoint: ranked(owned(touchpoints)),
        days: days.into_iter().collect(),
        range: filter.from.or(first).zip(filter.to.or(last)),
    }
}

/// Groups of cards, most cards first, then by name.
fn ranked(groups: Vec<(String, Tally)>) -> Vec<(String, Satisfaction)> {
    let mut rows: Vec<(String, Satisfaction)> =
        groups.into_iter().map(|(k, t)| (k, t.finish())).collect();
    rows.sort_by(|a, b| b.1.cards.cmp(&a.1.cards).then(a.0.cmp(&b.0)));
    rows
}

/// Which feedback items count: logged (local day) within the range, in the segment.
#[derive(Clone, Debug, Default)]
pub struct FeedbackFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty for every segment.
    pub segment: String,
    /// Empty for every branch.
    pub branch: String,
}

impl FeedbackFilter {
    /// Whether the item counts, its day read in the time zone `offset`.
    pub fn keeps(&self, item: &FeedbackItem, offset: FixedOffset) -> bool {
        self.keeps_on(local_day(item.meta.created, offset), item)
    }

    fn keeps_on(&self, day: NaiveDate, item: &FeedbackItem) -> bool {
        in_range(day, self.from, self.to)
            && (self.segment.is_empty() || item.segment == self.segment)
            && (self.branch.is_empty() || item.branch == self.branch)
    }
}

/// A spread of durations in working seconds: median and 90th percentile, withheld below
/// [`MIN_SAMPLE`]. The median of an even count is the mean of the middle two; the 90th
/// percentile is the nearest rank (the smallest value at or above 90% of them).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Durations {
    pub median: Option<i64>,
    pub p90: Option<i64>,
    pub n: usize,
}

impl Durations {
    fn of(mut seconds: Vec<i64>) -> Durations {
        let n = seconds.len();
        if n < MIN_SAMPLE {
            return Durations {
                median: None,
                p90: None,
                n,
            };
        }
        seconds.sort_unstable();
        let median = if n % 2 == 1 {
            seconds[n / 2]
        } else {
            (seconds[n / 2 - 1] + seconds[n / 2]) / 2
        };
        let rank = (n * 9).div_ceil(10);
        Durations {
            median: Some(median),
            p90: Some(seconds[rank - 1]),
            n,
        }
    }
}

/// Everything the dashboard shows about feedback.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedbackReport {
    pub total: usize,
    pub by_kind: BTreeMap<FeedbackKind, usize>,
    pub by_status: BTreeMap<Status, usize>,
    pub by_channel: BTreeMap<Channel, usize>,
    /// Items with no dimension are counted under `None`.
    pub by_dimension: BTreeMap<Option<Dimension>, usize>,
    pub by_segment: BTreeMap<String, usize>,
    /// From logging to the first response: the first status change or response written.
    pub first_response: Durations,
    /// From logging to resolving, for items resolved or closed, less waits on the customer.
    pub resolve: Durations,
    /// Percent of items logged on the day they happened.
    pub same_day: Figure,
    /// Open items past their target, most overdue first.
    pub overdue: Vec<Uuid>,
    /// Follow-up calls due by `today` or already made, and how many of those were made.
    pub calls_due: usize,
    pub calls_done: usize,
    /// Mean satisfaction (1–5) the customers gave on the calls made.
    pub call_satisfaction: Figure,
    /// Items logged each day, oldest first, counted per kind in [`FeedbackKind::ALL`] order.
    days: Vec<(NaiveDate, [usize; 4])>,
    /// The days the trend covers: the chosen range, or the items' own where it is open.
    range: Option<(NaiveDate, NaiveDate)>,
}

impl FeedbackReport {
    /// Items logged per period of `span` in `calendar`, oldest first, counted per kind in
    /// [`FeedbackKind::ALL`] order; empty periods included.
    pub fn trend(&self, span: Span, calendar: Calendar) -> Vec<(NaiveDate, [usize; 4])> {
        roll_up(&self.days, self.range, span, calendar, |a, b| {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b)
        })
    }
}

/// The feedback figures for the items the filter keeps, in one pass. `target_hours` gives the
/// target of each kind; `now` and `today` are when the figures are read.
pub fn feedback_report<'a>(
    items: impl IntoIterator<Item = &'a FeedbackItem>,
    filter: &FeedbackFilter,
    calendar: &sla::Calendar,
    target_hours: impl Fn(FeedbackKind) -> u32,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> FeedbackReport {
    let mut days: BTreeMap<NaiveDate, [usize; 4]> = BTreeMap::new();
    let (mut first_day, mut last_day) = (None::<NaiveDate>, None::<NaiveDate>);
    let mut r = FeedbackReport::default();
    let (mut first, mut resolve) = (Vec::new(), Vec::new());
    let mut same_day = 0usize;
    let mut overdue: Vec<(i64, Uuid)> = Vec::new();
    let (mut sat_sum, mut sat_n) = (0.0, 0usize);
    for item in items {
        let day = local_day(item.meta.created, calendar.offset);
        if !filter.keeps_on(day, item) {
            continue;
        }
        r.total += 1;
        first_day = Some(first_day.map_or(day, |f| f.min(day)));
        last_day = Some(last_day.map_or(day, |l| l.max(day)));
        let kind = FeedbackKind::ALL.iter().position(|k| *k == item.kind);
        days.entry(day).or_default()[kind.unwrap_or(0)] += 1;
        *r.by_kind.entry(item.kind).or_default() += 1;
        *r.by_status.entry(item.status).or_default() += 1;
        *r.by_channel.entry(item.channel).or_default() += 1;
        *r.by_dimension.entry(item.dimension).or_default() += 1;
        *r.by_segment.entry(item.segment.clone()).or_default() += 1;
        if !item.logged_late(calendar.offset) {
            same_day += 1;
        }
        let responded = item.history.iter().find_map(|h| match h.change {
            Change::Event(Event::Status { .. } | Event::Response) => Some(h.at),
            _ => None,
        });
        if let Some(at) = responded {
            first.push(calendar.elapsed(item.meta.created, at, &item.pauses(at)));
        }
        if item.resolved_at().is_some() {
            resolve.push(item.clock(calendar, now));
        } else if item.status.is_open() {
            let left = item.time_left(calendar, target_hours(item.kind), now);
            if left < 0 {
                overdue.push((left, item.meta.id));
            }
        }
        // A call made before its day counts as due: it was made.
        if let Some(f) = item
            .follow_up
            .as_ref()
            .filter(|f| f.due <= today || f.call.is_some())
        {
            r.calls_due += 1;
            if let Some(call) = &f.call {
                r.calls_done += 1;
                if let Some(v) = call.satisfied {
                    sat_sum += f64::from(v);
                    sat_n += 1;
                }
            }
        }
    }
    r.first_response = Durations::of(first);
    r.resolve = Durations::of(resolve);
    r.same_day = Figure::of(100.0 * same_day as f64, r.total);
    overdue.sort();
    r.overdue = overdue.into_iter().map(|(_, id)| id).collect();
    r.call_satisfaction = Figure::of(sat_sum, sat_n);
    r.days = days.into_iter().collect();
    r.range = filter.from.or(first_day).zip(filter.to.or(last_day));
    r
}

/// Which assessments count: dated within the range (inclusive), of one team or branch.
#[derive(Clone, Debug, Default)]
pub struct GapFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty for every team.
    pub team: String,
}

/// A team's latest assessment in the range and its gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamGaps {
    pub team: String,
    pub date: NaiveDate,
    pub gaps: Vec<DimensionGap>,
}

/// Everything the dashboard shows about one model's self-assessments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GapReport {
    /// Per team, its latest assessment in the range (the later made wins a tie), by team name.
    pub latest: Vec<TeamGaps>,
    /// Per dimension, the staff's mean current rating over the teams' latest assessments.
    pub staff_current: Vec<Option<f64>>,
    /// Per period, oldest first: the mean gap per dimension over the assessments dated in it,
    /// and how many there were.
    pub trend: Vec<(NaiveDate, Vec<Option<f64>>, usize)>,
    /// Actions still planned or in progress, of every assessment of the team whatever its date:
    /// open work is open now.
    pub open_actions: usize,
    /// Of those, the ones past their due day.
    pub overdue_actions: usize,
}

/// The figures of `model`'s assessments the filter keeps, in one pass.
pub fn gap_report<'a>(
    assessments: impl IntoIterator<Item = &'a Assessment>,
    model: &Model,
    weights: &BTreeMap<Dimension, f64>,
    filter: &GapFilter,
    span: Span,
    calendar: Calendar,
    today: NaiveDate,
) -> GapReport {
    let dims = model.dimensions.len();
    let mut latest: BTreeMap<&str, &Assessment> = BTreeMap::new();
    let mut periods: BTreeMap<NaiveDate, (Vec<(f64, usize)>, usize)> = BTreeMap::new();
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    let mut r = GapReport::default();
    for a in assessments {
        if a.model != model.id || (!filter.team.is_empty() && a.team != filter.team) {
            continue;
        }
        for x in &a.actions {
            if matches!(x.status, ActionStatus::Planned | ActionStatus::InProgress) {
                r.open_actions += 1;
                if x.due.is_some_and(|d| d < today) {
                    r.overdue_actions += 1;
                }
            }
        }
        if !in_range(a.date, filter.from, filter.to) {
            continue;
        }
        first = Some(first.map_or(a.date, |f| f.min(a.date)));
        last = Some(last.map_or(a.date, |l| l.max(a.date)));
        let newer = latest
            .get(a.team.as_str())
            .is_none_or(|b| (a.date, a.meta.created) > (b.date, b.meta.created));
        if newer {
            latest.insert(&a.team, a);
        }
        let (sums, n) = periods
            .entry(period::start_of(a.date, span, calendar))
            .or_insert_with(|| (vec![(0.0, 0); dims], 0));
        *n += 1;
        for (sum, g) in sums.iter_mut().zip(gap::gaps(model, &a.ratings, weights)) {
            if let Some(v) = g.gap {
                sum.0 += v;
                sum.1 += 1;
            }
        }
    }
    r.latest = latest
        .into_iter()
        .map(|(team, a)| TeamGaps {
            team: team.to_owned(),
            date: a.date,
            gaps: gap::gaps(model, &a.ratings, weights),
        })
        .collect();
    r.staff_current = (0..dims)
        .map(|k| {
            let v: Vec<f64> = r.latest.iter().filter_map(|t| t.gaps[k].current).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        })
        .collect();
    if let (Some(from), Some(to)) = (filter.from.or(first), filter.to.or(last)) {
        r.trend = period::periods(from, to, span, calendar, MAX_PERIODS)
            .into_iter()
            .map(|start| match periods.get(&start) {
                Some((sums, n)) => {
                    let means = sums
                        .iter()
                        .map(|(s, k)| (*k > 0).then(|| s / *k as f64))
                        .collect();
                    (start, means, *n)
                }
                None => (start, vec![None; dims], 0),
            })
            .collect();
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        card::Answer,
        feedback::Call,
        sla::testing::{at, tehran_week},
        template::DEFAULT_TEMPLATE_ID,
        text::Bilingual,
        Meta,
    };

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
        card_report(cards, |_| Some(&t), filter, utc())
    }

    #[test]
    fn no_cards_give_no_figures_and_no_trend() {
        let r = report(&[], &CardFilter::default());
        assert_eq!(r.all, Satisfaction::default());
        assert_eq!(r.overall, [0; 5]);
        assert!(r.trend(Span::Month, Calendar::Gregorian).is_empty());
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
            .trend(Span::Month, Calendar::Gregorian)
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
        let r = card_report(&cards, |_| Some(&t), &CardFilter::default(), tehran);
        let months: Vec<(String, usize)> = r
            .trend(Span::Month, Calendar::Jalali)
            .iter()
            .map(|(d, s)| (d.to_string(), s.cards))
            .collect();
        // Esfand 1404 starts 2026-02-20, Farvardin 1405 on 2026-03-21.
        assert_eq!(
            months,
            [("2026-02-20".to_owned(), 1), ("2026-03-21".to_owned(), 1)]
        );
    }

    #[test]
    fn medians_and_ninetieth_percentiles_by_hand() {
        assert_eq!(
            Durations::of(vec![5, 1, 4, 2]),
            Durations {
                median: None,
                p90: None,
                n: 4
            }
        );
        // 1..=5: median 3, 90th percentile is rank 5 of 5.
        assert_eq!(
            Durations::of(vec![5, 3, 1, 4, 2]),
            Durations {
                median: Some(3),
                p90: Some(5),
                n: 5
            }
        );
        // Ten values: median is the mean of 5th and 6th, 90th percentile is rank 9.
        let d = Durations::of((1..=10).map(|v| v * 60).collect());
        assert_eq!((d.median, d.p90), (Some(330), Some(540)));
        // Ties.
        let d = Durations::of(vec![7; 6]);
        assert_eq!((d.median, d.p90), (Some(7), Some(7)));
    }

    fn week() -> sla::Calendar {
        tehran_week()
    }

    fn item(logged: &str, kind: FeedbackKind) -> FeedbackItem {
        let t = at(logged);
        FeedbackItem {
            contact: Some(crate::domain::card::Contact {
                value: "0912 345 6789".into(),
                consent: true,
            }),
            ..FeedbackItem::reported(Meta::new(t), kind, Channel::Phone, "x".into(), t)
        }
        .register("Sara", t)
    }

    #[test]
    fn feedback_figures_worked_by_hand() {
        let cal = week();
        // Five complaints logged Saturday 09:00, each taken up after 1..=5 hours and resolved
        // two hours later; one suggestion still new and long overdue; one logged a day late.
        let mut items: Vec<FeedbackItem> = (1..=5)
            .map(|h| {
                let mut i = item("2026-11-21 09:00", FeedbackKind::Complaint);
                let start = at(&format!("2026-11-21 {:02}:00", 9 + h));
                i.set_status(Status::InProgress, "Reza", start, &cal, 1)
                    .unwrap();
                i.set_status(
                    Status::Resolved,
                    "Reza",
                    start + chrono::Duration::hours(2),
                    &cal,
                    1,
                )
                .unwrap();
                i
            })
            .collect();
        let mut late = item("2026-11-22 09:00", FeedbackKind::Suggestion);
        late.occurred = at("2026-11-20 18:00");
        late.segment = "Regulars".into();
        items.push(late.clone());
        // Calls: due Sunday 22nd for all five; two made, satisfied 4 and 5.
        for (i, v) in [(0usize, Some(4)), (1, Some(5))] {
            items[i]
                .log_call(Call {
                    at: at("2026-11-22 10:00"),
                    by: "Mina".into(),
                    reached: true,
                    satisfied: v,
                    notes: String::new(),
                })
                .unwrap();
        }
        let now = at("2026-11-30 12:00");
        let today = now.with_timezone(&cal.offset).date_naive();
        let r = feedback_report(
            &items,
            &FeedbackFilter::default(),
            &cal,
            |k| k.default_sla_hours(),
            now,
            today,
        );
        assert_eq!(r.total, 6);
        // Saturday the 21st and Sunday the 22nd fall in one Jalali week (from Saturday).
        assert_eq!(
            r.trend(Span::Week, Calendar::Jalali),
            vec![(at("2026-11-21 09:00").date_naive(), [1, 0, 5, 0])]
        );
        assert_eq!(r.by_kind[&FeedbackKind::Complaint], 5);
        assert_eq!(r.by_status[&Status::Resolved], 5);
        assert_eq!(r.by_status[&Status::New], 1);
        assert_eq!(r.by_dimension[&None], 6);
        assert_eq!(r.by_segment["Regulars"], 1);
        // First response after 1, 2, 3, 4, 5 working hours.
        assert_eq!(
            r.first_response,
            Durations {
                median: Some(3 * 3600),
                p90: Some(5 * 3600),
                n: 5
            }
        );
        // Resolved after 3..=7 hours.
        assert_eq!(
            r.resolve,
            Durations {
                median: Some(5 * 3600),
                p90: Some(7 * 3600),
                n: 5
            }
        );
        // Five of six logged the same day.
        assert!((r.same_day.value.unwrap() - 500.0 / 6.0).abs() < 1e-9);
        // The suggestion (72 working hours from Sunday 09:00) is not yet late on Monday the 30th.
        assert!(r.overdue.is_empty());
        let much_later = at("2026-12-30 12:00");
        let r2 = feedback_report(
            &items,
            &FeedbackFilter::default(),
            &cal,
            |k| k.default_sla_hours(),
            much_later,
            today,
        );
        assert_eq!(r2.overdue, vec![late.meta.id]);
        assert_eq!((r.calls_due, r.calls_done), (5, 2));
        assert_eq!(r.call_satisfaction, Figure { value: None, n: 2 });
        // On the Saturday before the calls' day, the two already made count, and only they.
        let early = at("2026-11-21 20:00");
        let r_early = feedback_report(
            &items,
            &FeedbackFilter::default(),
            &cal,
            |k| k.default_sla_hours(),
            early,
            early.with_timezone(&cal.offset).date_naive(),
        );
        assert_eq!((r_early.calls_due, r_early.calls_done), (2, 2));
        // The segment filter keeps only the suggestion.
        let only = FeedbackFilter {
            segment: "Regulars".into(),
            ..Default::default()
        };
        let r3 = feedback_report(&items, &only, &cal, |k| k.default_sla_hours(), now, today);
        assert_eq!(r3.total, 1);
        assert_eq!(r3.same_day, Figure { value: None, n: 1 });
        // The branch filter keeps the items of that branch only.
        let mut split = items.clone();
        split[0].branch = "Tajrish".into();
        let tajrish = FeedbackFilter {
            branch: "Tajrish".into(),
            ..Default::default()
        };
        let r4 = feedback_report(
            &split,
            &tajrish,
            &cal,
            |k| k.default_sla_hours(),
            now,
            today,
        );
        assert_eq!(r4.total, 1);
        assert_eq!(r4.by_kind[&FeedbackKind::Complaint], 1);
    }

    #[test]
    fn no_feedback_gives_empty_figures() {
        let cal = week();
        let now = at("2026-11-30 12:00");
        let r = feedback_report(
            &[],
            &FeedbackFilter::default(),
            &cal,
            |k| k.default_sla_hours(),
            now,
            now.date_naive(),
        );
        assert_eq!(r, FeedbackReport::default());
    }

    fn assessment(team: &str, date: &str, made: &str, current: u8) -> Assessment {
        let rater = crate::domain::model::get("rater").unwrap();
        Assessment {
            meta: Meta::new(at(made)),
            model: "rater".into(),
            assessor: String::new(),
            team: team.into(),
            date: date.parse().unwrap(),
            ratings: rater
                .items
                .iter()
                .map(|i| {
                    let r = crate::domain::assessment::ItemRating {
                        current: Some(current),
                        desired: Some(6),
                        note: String::new(),
                    };
                    (i.id.clone(), r)
                })
                .collect(),
            actions: Vec::new(),
            finished: true,
        }
    }

    fn gaps_of(list: &[Assessment], filter: &GapFilter, span: Span, cal: Calendar) -> GapReport {
        let rater = crate::domain::model::get("rater").unwrap();
        let weights = Dimension::ALL
            .iter()
            .map(|d| (*d, d.default_weight()))
            .collect();
        let today: NaiveDate = "2026-11-24".parse().unwrap();
        gap_report(list, rater, &weights, filter, span, cal, today)
    }

    #[test]
    fn the_latest_assessment_per_team_wins_and_a_same_day_tie_goes_to_the_later_made() {
        let list = [
            assessment("Tajrish", "2026-09-01", "2026-09-01 10:00", 2),
            assessment("Tajrish", "2026-10-01", "2026-10-01 10:00", 4),
            assessment("Tajrish", "2026-10-01", "2026-10-01 11:00", 5),
            assessment("Vanak", "2026-10-15", "2026-10-15 10:00", 3),
        ];
        let r = gaps_of(
            &list,
            &GapFilter::default(),
            Span::Month,
            Calendar::Gregorian,
        );
        let teams: Vec<(&str, Option<f64>)> = r
            .latest
            .iter()
            .map(|t| (t.team.as_str(), t.gaps[0].gap))
            .collect();
        assert_eq!(teams, [("Tajrish", Some(1.0)), ("Vanak", Some(3.0))]);
        // The staff's current view: the mean of the two latest, (5 + 3) / 2.
        assert_eq!(r.staff_current, vec![Some(4.0); 5]);
        // September: one assessment, gap 4; October: gaps 2, 1 and 3, mean 2.
        let trend: Vec<(String, Option<f64>, usize)> = r
            .trend
            .iter()
            .map(|(d, g, n)| (d.to_string(), g[0], *n))
            .collect();
        assert_eq!(
            trend,
            [
                ("2026-09-01".to_owned(), Some(4.0), 1),
                ("2026-10-01".to_owned(), Some(2.0), 3)
            ]
        );
        // A range that ends before October keeps September's only.
        let september = GapFilter {
            to: Some("2026-09-30".parse().unwrap()),
            ..Default::default()
        };
        let r = gaps_of(&list, &september, Span::Month, Calendar::Gregorian);
        assert_eq!(r.latest.len(), 1);
        assert_eq!(r.latest[0].gaps[0].gap, Some(4.0));
    }

    #[test]
    fn gap_trends_cross_the_jalali_new_year_and_count_open_actions_of_the_team() {
        use crate::domain::assessment::Action;
        // 20 March 2027 is 29 Esfand 1405; 21 March is 1 Farvardin 1406.
        let mut winter = assessment("Tajrish", "2027-03-20", "2027-03-20 10:00", 3);
        let spring = assessment("Tajrish", "2027-03-21", "2027-03-21 10:00", 5);
        let other = assessment("Vanak", "2027-03-21", "2027-03-21 10:00", 1);
        let action = |status, due: &str| Action {
            id: Uuid::new_v4(),
            dimension: "reliability".into(),
            text: "x".into(),
            owner: String::new(),
            due: Some(due.parse().unwrap()),
            status,
        };
        winter.actions = vec![
            action(ActionStatus::Planned, "2026-11-01"),
            action(ActionStatus::InProgress, "2027-01-01"),
            action(ActionStatus::Done, "2026-11-01"),
        ];
        let list = [winter, spring, other];
        let tajrish = GapFilter {
            team: "Tajrish".into(),
            ..Default::default()
        };
        let r = gaps_of(&list, &tajrish, Span::Quarter, Calendar::Jalali);
        let trend: Vec<(String, Option<f64>)> = r
            .trend
            .iter()
            .map(|(d, g, _)| (d.to_string(), g[0]))
            .collect();
        // Winter 1405 began on 1 Dey (22 December 2026); spring 1406 on 1 Farvardin.
        assert_eq!(
            trend,
            [
                ("2026-12-22".to_owned(), Some(3.0)),
                ("2027-03-21".to_owned(), Some(1.0))
            ]
        );
        // Two actions still open; the one due on 1 November is late on 24 November.
        assert_eq!((r.open_actions, r.overdue_actions), (2, 1));
        assert_eq!(r.latest.len(), 1);
    }

    #[test]
    fn no_assessments_give_no_gaps() {
        let r = gaps_of(&[], &GapFilter::default(), Span::Month, Calendar::Jalali);
        assert!(r.latest.is_empty() && r.trend.is_empty());
        assert_eq!(r.staff_current, vec![None; 5]);
        assert_eq!((r.open_actions, r.overdue_actions), (0, 0));
    }

    #[test]
    fn one_card_counts_but_shows_no_share_and_equal_groups_go_by_name() {
        let cards = [
            card(
                "2026-11-02T10:00:00Z",
                "Vanak",
                &[("overall", 5), ("recommend", 10)],
            ),
            card(
                "2026-11-02T11:00:00Z",
                "Tajrish",
                &[("overall", 1), ("recommend", 0)],
            ),
        ];
        let r = report(&cards[..1], &CardFilter::default());
        assert_eq!(r.all.cards, 1);
        assert_eq!(r.all.csat, Figure { value: None, n: 1 });
        assert_eq!((r.all.promoters, r.all.detractors), (1, 0));
        assert_eq!(r.trend(Span::Quarter, Calendar::Jalali).len(), 1);
        // One card each: a tie on count, so the names decide the order.
        let r = report(&cards, &CardFilter::default());
        let names: Vec<&str> = r.by_branch.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(names, ["Tajrish", "Vanak"]);
    }
}
