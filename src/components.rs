//! Reusable parts of screens. Each gets its data through props or the app-state context.

pub mod confirm_dialog;
pub mod crash;
pub mod face;
pub mod language_select;
pub mod notice_bar;
pub mod pin_prompt;
pub mod question_title;
pub mod rating_scale;
