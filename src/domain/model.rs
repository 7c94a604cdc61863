//! Assessment models as data: which dimensions a model has, which guiding questions (items)
//! belong to each, and how the dimensions are weighted. The models ship in
//! `models/assessment-models.json`; their words live in the locale files under
//! `model.<model>.*` (dimensions of RATER use the shared `dimension.<code>` names).

use std::sync::OnceLock;

use serde::Deserialize;

use super::rater::Dimension;

/// Ratings of a guiding question run from 1 (not at all) to 7 (fully).
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=7;

/// How the items of a model are laid out for the assessor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One section per dimension, its guiding questions inside.
    ByDimension,
    /// One list in the order of a visit, each item tagged with its dimension.
    Checklist,
}

/// Where a model's dimension weights come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weights {
    /// The RATER weights in Settings (the model's dimensions are RATER dimensions).
    Rater,
    /// Every dimension counts the same.
    Equal,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Item {
    pub id: String,
    pub dimension: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Model {
    pub id: String,
    pub layout: Layout,
    pub weights: Weights,
    pub dimensions: Vec<String>,
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
struct Catalogue {
    models: Vec<Model>,
}

/// Every model the app offers, in the order they are offered.
pub fn all() -> &'static [Model] {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        serde_json::from_str::<Catalogue>(include_str!("models/assessment-models.json"))
            .map(|c| c.models)
            .unwrap_or_default()
    })
}

/// The model with this id.
pub fn get(id: &str) -> Option<&'static Model> {
    all().iter().find(|m| m.id == id)
}

impl Model {
    /// Locale key of the model's name.
    pub fn name_key(&self) -> String {
        format!("model.{}.name", self.id)
    }

    /// Locale key of a dimension's name: RATER dimensions share one set of names.
    pub fn dimension_key(&self, dimension: &str) -> String {
        match Dimension::from_code(dimension) {
            Some(d) if self.weights == Weights::Rater => format!("dimension.{}", d.code()),
            _ => format!("model.{}.dim.{dimension}", self.id),
        }
    }

    /// Locale key of a guiding question's wording.
    pub fn item_key(&self, item: &str) -> String {
        format!("model.{}.q.{item}", self.id)
    }

    /// The items of one dimension, in the model's order.
    pub fn items_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.dimension == dimension)
    }

    /// The RATER dimension a model dimension stands for, if it is one.
    pub fn rater_dimension(&self, dimension: &str) -> Option<Dimension> {
        (self.weights == Weights::Rater)
            .then(|| Dimension::from_code(dimension))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_models_load_from_their_data_file() {
        let ids: Vec<&str> = all().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["rater", "prompt", "mystery"]);
        // The export schema names the same models.
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/export-v1.schema.json")).unwrap();
        let named = &schema["definitions"]["assessment"]["properties"]["model"]["enum"];
        assert_eq!(named, &serde_json::json!(ids));
    }

    #[test]
    fn rater_asks_four_three_five_six_and_four_questions() {
        let rater = get("rater").unwrap();
        let counts: Vec<usize> = rater
            .dimensions
            .iter()
            .map(|d| rater.items_of(d).count())
            .collect();
        assert_eq!(counts, [4, 3, 5, 6, 4]);
        let codes: Vec<&str> = Dimension::ALL.iter().map(|d| d.code()).collect();
        assert_eq!(rater.dimensions, codes);
    }

    #[test]
    fn prompt_has_six_activities_each_with_its_practices() {
        let prompt = get("prompt").unwrap();
        assert_eq!(prompt.dimensions.len(), 6);
        let counts: Vec<usize> = prompt
            .dimensions
            .iter()
            .map(|d| prompt.items_of(d).count())
            .collect();
        assert_eq!(counts, [7, 3, 4, 5, 4, 3]);
    }

    #[test]
    fn every_mystery_shopper_item_is_tagged_with_a_rater_dimension() {
        let mystery = get("mystery").unwrap();
        assert_eq!(mystery.layout, Layout::Checklist);
        for item in &mystery.items {
            assert!(
                mystery.rater_dimension(&item.dimension).is_some(),
                "{}",
                item.id
            );
        }
        for d in Dimension::ALL {
            assert!(mystery.items_of(d.code()).count() >= 2, "{d:?}");
        }
    }

    #[test]
    fn item_ids_are_unique_and_name_a_dimension_of_their_model() {
        for model in all() {
            let mut ids: Vec<&str> = model.items.iter().map(|i| i.id.as_str()).collect();
            ids.sort_unstable();
            let before = ids.len();
            ids.dedup();
            assert_eq!(before, ids.len(), "{}", model.id);
            for item in &model.items {
                assert!(model.dimensions.contains(&item.dimension), "{}", item.id);
            }
        }
    }
}
