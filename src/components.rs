//! Reusable parts of screens. Each gets its data through props or the app-state context.

pub mod bar_chart;
pub mod chart_summary;
pub mod confirm_dialog;
pub mod contact_link;
pub mod crash;
pub mod data_table;
pub mod date_field;
pub mod date_picker;
pub mod face;
pub mod filters_panel;
pub mod language_select;
pub mod notice_bar;
pub mod pin_prompt;
pub mod question_title;
pub mod radar_chart;
pub mod rating_scale;
pub mod section_tabs;
pub mod text_options;
pub mod trend_chart;
