//! The long-range figures, from the shop's server: its map/reduce views
//! (`_design/listening-post-figures`, installed by `scripts/couch-setup.sh` from
//! `scripts/figures.js`) sum the cards of any range, branch and touchpoint in the server itself,
//! and the dashboard draws the same report from those totals as from the cards a device holds.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::{
    engine::{call, encode, Report, SyncError},
    transport::{Request, Transport},
};
use crate::domain::{
    report::{dimension_questions, CardFilter, CardReport, DimSum, Tally},
    template::CardTemplate,
};

/// The version of the views this app reads (`VERSION` in `scripts/figures.js`).
pub const FIGURES_VERSION: u64 = 1;
const DESIGN: &str = "_design/listening-post-figures";
/// Width of a row of the `cards` view: seven counts, overall 1–5, recommend 0–10.
pub const WIDTH: usize = 23;

/// Why the server's figures cannot be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum FiguresError {
    /// The server has no views of the figures: the setup step was never run.
    Missing,
    /// The server's views are older (or newer) than this app's: the setup step, run again,
    /// upgrades them.
    Version { server: u64 },
    /// The request failed (offline, refused).
    Sync(SyncError),
}

impl From<SyncError> for FiguresError {
    fn from(e: SyncError) -> Self {
        FiguresError::Sync(e)
    }
}

/// The server's figures, and what they rest on.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerFigures {
    pub report: CardReport,
    /// The server's days are read at this offset from UTC, in minutes (fixed at setup).
    pub offset_minutes: i64,
    /// The first and last day of the shop's whole history on the server.
    pub history: Option<(NaiveDate, NaiveDate)>,
    pub requests: usize,
}

/// A view's path with its query: `key_range` is (startkey, endkey).
fn view(name: &str, start: &Value, end: &Value, group_level: Option<usize>) -> String {
    let group =
        group_level.map_or_else(|| "reduce=true".to_owned(), |g| format!("group_level={g}"));
    format!(
        "{DESIGN}/_view/{name}?{group}&startkey={}&endkey={}",
        encode(&start.to_string()),
        encode(&end.to_string())
    )
}

/// The key range of `prefix` followed by a day within the filter's range.
fn days_of(prefix: &[Value], filter: &CardFilter) -> (Value, Value) {
    let mut start = prefix.to_vec();
    let mut end = prefix.to_vec();
    if let Some(from) = filter.from {
        start.push(json!(from.to_string()));
    }
    end.push(filter.to.map_or(json!({}), |to| json!(to.to_string())));
    (Value::Array(start), Value::Array(end))
}

fn rows(answer: &Value) -> Result<&Vec<Value>, SyncError> {
    answer["rows"].as_array().ok_or(SyncError::Garbled)
}

fn counts(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0)).collect())
        .unwrap_or_default()
}

fn day_of(key: &Value, at: usize) -> Option<NaiveDate> {
    key.get(at)?.as_str()?.parse().ok()
}

/// Sends requests side by side, and reads each answer as JSON.
async fn answers<T: Transport>(
    t: &T,
    report: &mut Report,
    requests: Vec<Request>,
) -> Result<Vec<Value>, SyncError> {
    report.requests += requests.len();
    let mut out = Vec::with_capacity(requests.len());
    for answer in super::transport::all(requests.into_iter().map(|r| t.send(r))).await {
        let response = answer?;
        if !(200..300).contains(&response.status) {
            return Err(SyncError::refused(response.status));
        }
        out.push(serde_json::from_str(&response.body).map_err(|_| SyncError::Garbled)?);
    }
    Ok(out)
}

/// The card figures for `filter` from the server's views. Runs the requests for branches,
/// touchpoints and dimensions side by side.
pub async fn card_report<T: Transport>(
    t: &T,
    filter: &CardFilter,
    templates: &[CardTemplate],
) -> Result<ServerFigures, FiguresError> {
    let mut report = Report::default();
    let design = match call(t, &mut report, Request::get(DESIGN)).await {
        Ok(d) => d,
        Err(SyncError::Server(404)) => return Err(FiguresError::Missing),
        Err(e) => return Err(e.into()),
    };
    let version = design["version"].as_u64().unwrap_or(0);
    if version != FIGURES_VERSION {
        return Err(FiguresError::Version { server: version });
    }
    let offset_minutes = design["offset_minutes"].as_i64().unwrap_or(0);
    let scope = if filter.branch.is_empty() {
        Value::Null
    } else {
        json!(filter.branch)
    };

    // First wave, side by side: the days of the range (the trend, the totals, the overall
    // ratings), the first and last day of the whole history (read from the index, not
    // reduced), and the names of the branches, touchpoints and rated questions.
    let (start, end) = days_of(&[json!("day"), scope.clone()], filter);
    let whole = (
        json!(["day", scope.clone()]),
        json!(["day", scope.clone(), {}]),
    );
    let edge = |from: &Value, to: &Value, descending: bool| {
        format!(
            "{DESIGN}/_view/cards?reduce=false&limit=1&descending={descending}&startkey={}&endkey={}",
            encode(&from.to_string()),
            encode(&to.to_string())
        )
    };
    let mut wave = vec![
        Request::get(view("cards", &start, &end, Some(3))),
        Request::get(edge(&whole.0, &whole.1, false)),
        Request::get(edge(&whole.1, &whole.0, true)),
        Request::get(view(
            "cards",
            &json!(["tp", scope.clone()]),
            &json!(["tp", scope.clone(), {}]),
            Some(3),
        )),
        Request::get(view(
            "ratings",
            &json!([scope.clone()]),
            &json!([scope.clone(), {}]),
            Some(4),
        )),
    ];
    if filter.branch.is_empty() {
        wave.push(Request::get(view(
            "cards",
            &json!(["day", ""]),
            &json!(["day", {}]),
            Some(2),
        )));
    }
    let mut first_wave = answers(t, &mut report, wave).await?.into_iter();
    let mut next = || first_wave.next().unwrap_or(Value::Null);
    let (day_rows, first, last, tp_list, rating_list) = (next(), next(), next(), next(), next());
    let branch_list = next();
    let mut days = Vec::new();
    let mut overall = [0usize; 5];
    for row in rows(&day_rows)? {
        let (Some(day), c) = (day_of(&row["key"], 2), counts(&row["value"])) else {
            continue;
        };
        for (k, o) in overall.iter_mut().enumerate() {
            *o += c.get(7 + k).copied().unwrap_or(0) as usize;
        }
        days.push((day, Tally::from_counts(&c)));
    }
    let history = rows(&first)?
        .first()
        .and_then(|r| day_of(&r["key"], 2))
        .zip(rows(&last)?.first().and_then(|r| day_of(&r["key"], 2)));
    let names = |answer: &Value, at: usize| -> Vec<String> {
        answer["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["key"].get(at)?.as_str().map(str::to_owned))
            .collect()
    };
    let branch_names = names(&branch_list, 1);
    let tp_names = names(&tp_list, 2);
    // The dimension-tagged questions among the rated ones, as this device's designs say.
    let mut asked = Vec::new();
    for row in rows(&rating_list)? {
        let key = &row["key"];
        let (Some(template), Some(version), Some(question)) = (
            key.get(1).and_then(Value::as_str),
            key.get(2).and_then(Value::as_u64),
            key.get(3).and_then(Value::as_str),
        ) else {
            continue;
        };
        let Some(t) = templates
            .iter()
            .find(|t| t.meta.id.hyphenated().to_string() == template)
        else {
            continue;
        };
        let version = u32::try_from(version).unwrap_or(0);
        if let Some(q) = dimension_questions(t, version)
            .into_iter()
            .find(|q| q.id == question)
        {
            asked.push((json!([scope.clone(), template, version, question]), q));
        }
    }

    let total = |prefix: Vec<Value>, view_name: &'static str| {
        let (start, end) = days_of(&prefix, filter);
        Request::get(view(view_name, &start, &end, None))
    };
    let mut requests = Vec::new();
    for b in &branch_names {
        requests.push(total(vec![json!("day"), json!(b)], "cards"));
    }
    for tp in &tp_names {
        requests.push(total(vec![json!("tp"), scope.clone(), json!(tp)], "cards"));
    }
    for (prefix, _) in &asked {
        let prefix = prefix.as_array().cloned().unwrap_or_default();
        requests.push(total(prefix, "ratings"));
    }
    let values: Vec<Value> = answers(t, &mut report, requests)
        .await?
        .into_iter()
        .map(|body| {
            body["rows"]
                .as_array()
                .and_then(|r| r.first())
                .map(|r| r["value"].clone())
                .unwrap_or(Value::Null)
        })
        .collect();
    let mut values = values.into_iter();
    let mut groups = |names: &[String]| -> Vec<(String, Tally)> {
        names
            .iter()
            .filter_map(|n| {
                let v = values.next()?;
                (!v.is_null()).then(|| (n.clone(), Tally::from_counts(&counts(&v))))
            })
            .collect()
    };
    let mut branches = groups(&branch_names);
    if !filter.branch.is_empty() && !days.is_empty() {
        // One branch chosen: its row is the range's total.
        let mut sum = Tally::default();
        for (_, t) in &days {
            sum.merge(t);
        }
        branches.push((filter.branch.clone(), sum));
    }
    let touchpoints = groups(&tp_names);
    let mut dims: [DimSum; 5] = Default::default();
    for (_, q) in &asked {
        let h = counts(&values.next().unwrap_or(Value::Null));
        for v in q.low..=q.high {
            let n = h.get(usize::from(v)).copied().unwrap_or(0);
            if n > 0 {
                dims[q.dimension].add(q.high - q.low, u64::from(v - q.low) * n, n as usize);
            }
        }
    }
    Ok(ServerFigures {
        report: CardReport::from_parts(days, branches, touchpoints, overall, &dims, filter),
        offset_minutes,
        history,
        requests: report.requests,
    })
}
