//! CSV exports of cards and feedback that open correctly in Excel and LibreOffice in both
//! languages: UTF-8 with a byte-order mark, a header row, CRLF line ends, ISO and Jalali date
//! columns, codes beside their labels, and any cell that a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) prefixed with `'`.

use chrono::{DateTime, FixedOffset, Utc};

use super::{
    card::{Answer, Card},
    feedback::FeedbackItem,
    jalali::JalaliDate,
    template::CardTemplate,
};

/// The byte-order mark that tells Excel the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// One cell, quoted when it needs to be and defused when a spreadsheet would run it.
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) || defused != defused.trim() {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn row(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// An instant as local ISO date-time and as a Jalali date.
fn when(at: DateTime<Utc>, offset: FixedOffset) -> [String; 2] {
    let local = at.with_timezone(&offset);
    let jalali = JalaliDate::from_gregorian(local.date_naive())
        .map(|j| format!("{:04}/{:02}/{:02}", j.year, j.month, j.day))
        .unwrap_or_default();
    [local.format("%Y-%m-%d %H:%M").to_string(), jalali]
}

/// Words for the header and for coded values, in the file's language.
pub type Label<'a> = &'a dyn Fn(&str) -> String;

/// The cards as CSV: one row per card, one column per question of the given template (answers
/// to other questions are left out), ratings as numbers, choices joined with `; `.
pub fn cards(
    cards: &[&Card],
    template: &CardTemplate,
    question_text: &dyn Fn(&super::text::Bilingual) -> String,
    label: Label,
    offset: FixedOffset,
) -> String {
    let mut out = String::from(BOM);
    let mut head: Vec<String> = [
        "csv.id",
        "csv.date",
        "csv.date_jalali",
        "csv.branch",
        "csv.touchpoint",
        "csv.lang",
        "csv.version",
    ]
    .iter()
    .map(|k| label(k))
    .collect();
    head.extend(template.questions.iter().map(|q| question_text(&q.text)));
    out.push_str(&row(&head));
    for c in cards {
        let [iso, jalali] = when(c.meta.created, offset);
        let mut cells = vec![
            c.meta.id.to_string(),
            iso,
            jalali,
            c.branch.clone(),
            c.touchpoint.clone(),
            c.lang.clone(),
            c.template_version.to_string(),
        ];
        cells.extend(
            template
                .questions
                .iter()
                .map(|q| match c.answers.get(&q.id) {
                    Some(Answer::Rating(v)) => v.to_string(),
                    Some(Answer::Text(t)) => t.clone(),
                    Some(Answer::Choices(list)) => list.join("; "),
                    Some(Answer::Contact(contact)) => contact.value.clone(),
                    None => String::new(),
                }),
        );
        out.push_str(&row(&cells));
    }
    out
}

/// The feedback items as CSV, codes beside their labels.
pub fn feedback(items: &[&FeedbackItem], label: Label, offset: FixedOffset) -> String {
    let mut out = String::from(BOM);
    let head: Vec<String> = [
        "csv.id",
        "csv.date",
        "csv.date_jalali",
        "csv.occurred",
        "csv.kind",
        "csv.kind_label",
        "csv.channel",
        "csv.channel_label",
        "csv.dimension",
        "csv.status",
        "csv.status_label",
        "csv.segment",
        "csv.branch",
        "csv.customer",
        "csv.contact",
        "csv.consent",
        "csv.assignee",
        "csv.description",
        "csv.response",
        "csv.follow_up_due",
        "csv.follow_up_satisfied",
    ]
    .iter()
    .map(|k| label(k))
    .collect();
    out.push_str(&row(&head));
    for i in items {
        let [iso, jalali] = when(i.meta.created, offset);
        let [occurred, _] = when(i.occurred, offset);
        let cells = vec![
            i.meta.id.to_string(),
            iso,
            jalali,
            occurred,
            i.kind.code().to_owned(),
            label(&format!("feedback.kind.{}", i.kind.code())),
            i.channel.code().to_owned(),
            label(&format!("feedback.channel.{}", i.channel.code())),
            i.dimension.map(|d| d.code().to_owned()).unwrap_or_default(),
            i.status.code().to_owned(),
            label(&format!("feedback.status.{}", i.status.code())),
            i.segment.clone(),
            i.branch.clone(),
            i.customer.clone(),
            i.contact
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default(),
            i.contact
                .as_ref()
                .map(|c| if c.consent { "1" } else { "0" }.to_owned())
                .unwrap_or_default(),
            i.assignee.clone(),
            i.description.clone(),
            i.response.clone(),
            i.follow_up
                .as_ref()
                .map(|f| f.due.to_string())
                .unwrap_or_default(),
            i.follow_up
                .as_ref()
                .and_then(|f| f.call.as_ref()?.satisfied)
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ];
        out.push_str(&row(&cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+98 912"), "'+98 912");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("صف طولانی"), "صف طولانی");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(" padded "), "\" padded \"");
    }

    #[test]
    fn dates_come_as_local_iso_and_jalali() {
        let at: DateTime<Utc> = "2026-11-23T21:00:00Z".parse().unwrap();
        let tehran = FixedOffset::east_opt(3 * 3600 + 1800).unwrap();
        assert_eq!(
            when(at, tehran),
            ["2026-11-24 00:30".to_owned(), "1405/09/03".to_owned()]
        );
    }

    #[test]
    fn a_feedback_file_has_a_bom_a_header_and_one_defused_row_per_item() {
        use crate::domain::{
            feedback::{Channel, FeedbackKind},
            Meta,
        };
        let at: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
        let item = FeedbackItem {
            customer: "=cmd|' /C calc'!A0".into(),
            notes: "internal only".into(),
            ..FeedbackItem::reported(
                Meta::new(at),
                FeedbackKind::Complaint,
                Channel::Phone,
                "Queue, again".into(),
                at,
            )
        };
        let label = |k: &str| format!("<{k}>");
        let text = feedback(&[&item], &label, FixedOffset::east_opt(0).unwrap());
        assert!(text.starts_with(BOM));
        let lines: Vec<&str> = text[BOM.len()..].split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("<csv.id>,<csv.date>,<csv.date_jalali>"));
        assert!(lines[1].contains(",complaint,<feedback.kind.complaint>,phone,"));
        assert!(lines[1].contains("'=cmd|' /C calc'!A0"));
        assert!(lines[1].contains("\"Queue, again\""));
        // Internal notes stay inside the app.
        assert!(!text.contains("internal only"));
        assert_eq!(lines[2], "");
    }
}
