//! The five RATER dimensions of service quality (Reliability, Assurance, Tangibles, Empathy,
//! Responsiveness), shared by cards, assessments and feedback.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Reliability,
    Assurance,
    Tangibles,
    Empathy,
    Responsiveness,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Reliability,
        Dimension::Assurance,
        Dimension::Tangibles,
        Dimension::Empathy,
        Dimension::Responsiveness,
    ];

    /// Stable code used in storage, exports and locale keys (`dimension.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Reliability => "reliability",
            Dimension::Assurance => "assurance",
            Dimension::Tangibles => "tangibles",
            Dimension::Empathy => "empathy",
            Dimension::Responsiveness => "responsiveness",
        }
    }

    /// The dimension a code names.
    pub fn from_code(code: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Default importance weights, in percent. They are the mean points out of 100 that
    /// customers allotted to each dimension in Zeithaml, Parasuraman and Berry, *Delivering
    /// Quality Service* (1990): reliability 32, responsiveness 22, assurance 19, empathy 16,
    /// tangibles 11.
    pub fn default_weight(self) -> f64 {
        match self {
            Dimension::Reliability => 32.0,
            Dimension::Assurance => 19.0,
            Dimension::Tangibles => 11.0,
            Dimension::Empathy => 16.0,
            Dimension::Responsiveness => 22.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_weights_add_up_to_one_hundred() {
        let sum: f64 = Dimension::ALL.iter().map(|d| d.default_weight()).sum();
        assert_eq!(sum, 100.0);
    }
}
