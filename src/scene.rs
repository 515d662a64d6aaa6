//! The fully resolved scene and the decision that produced it.
//!
//! A [`Scene`] has no variables, rules or overrides left: every node has its
//! final text or image key and its computed style. It is what layout consumes
//! and what the decision key hashes. The [`Decision`] explains how the scene
//! came to be.

use crate::style::ComputedStyle;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a scene node shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Content {
    /// Only its box (background, border, children).
    None,
    /// Text, after bindings and `textTransform`.
    Text(String),
    /// The image with this key.
    Image(String),
}

/// One visible node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SceneNode {
    /// The template id, if any.
    pub id: Option<String>,
    /// What it shows.
    pub content: Content,
    /// Its computed style.
    pub style: ComputedStyle,
    /// Visible children in document order.
    pub children: Vec<usize>,
}

/// A resolved creative at one size. Node 0 is the root.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scene {
    /// Canvas width, px.
    pub width: u32,
    /// Canvas height, px.
    pub height: u32,
    /// Visible nodes; index 0 is the root.
    pub nodes: Vec<SceneNode>,
}

/// How one rule was evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcome {
    /// The rule id.
    pub id: String,
    /// Its description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the condition held.
    pub fired: bool,
    /// The values the condition read, by path (`context.weather: "rain"`).
    #[schemars(with = "std::collections::HashMap<String, Value>")]
    pub read: Map<String, Value>,
    /// What it set (only when fired), key → value as written.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[schemars(with = "std::collections::HashMap<String, Value>")]
    pub set: Map<String, Value>,
    /// Keys it set that a later rule overrode.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<String>,
}

/// Result of auto-fitting one text element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FitOutcome {
    /// Element id (or JSON path when it has none).
    pub id: String,
    /// Chosen font size, px.
    pub font_size: f32,
    /// False when even `fitText.min` did not fit (text was clamped).
    pub fits: bool,
}

/// What a render needs from the host.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Assets {
    /// Image keys (`src` values after bindings), in first-use order.
    pub images: Vec<String>,
    /// Font families named by the scene, in first-use order.
    pub fonts: Vec<String>,
}

/// Why the creative looks the way it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Template name.
    pub template: String,
    /// Size, `WxH`.
    pub size: String,
    /// Locale used by formatters.
    pub locale: String,
    /// Stable hash of everything that affects the pixels (32 hex digits).
    /// Equal keys mean identical pixels; hosts cache renders by it.
    pub key: String,
    /// Every rule, in order, with its result.
    pub rules: Vec<RuleOutcome>,
    /// Ids of the rules that fired, in order.
    pub fired: Vec<String>,
    /// Every data/context value the rules and bindings read.
    #[schemars(with = "std::collections::HashMap<String, Value>")]
    pub read: Map<String, Value>,
    /// Assets the render needs.
    pub assets: Assets,
    /// Auto-fit results (filled by render; empty in a plan).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit: Vec<FitOutcome>,
    /// Harmless problems (unsupported CSS and the like).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Set when this is the fallback creative: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// Images whose theme colours the bindings or rules read but which are
    /// not loaded yet: provisional values were used. Load them and plan again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_images: Vec<String>,
    /// The id of the render candidate chosen, when the input listed candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// Every candidate with its score and guardrail result, in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<CandidateOutcome>,
    /// The guardrail report: scene-only checks in a plan, all checks in a render.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<crate::guardrails::Report>,
    /// The aesthetic score (renders, and plans that chose among candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<crate::score::Score>,
    /// The variant shown, its bucket and the allocation behind it (templates
    /// with a `variants` section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<crate::variants::VariantDecision>,
}

/// How one render candidate fared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateOutcome {
    /// The candidate's id.
    pub id: String,
    /// Its aesthetic score (absent when its images were not loaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// No error-level guardrail finding.
    pub passed: bool,
    /// Error-level findings.
    pub errors: u32,
    /// Warnings.
    pub warnings: u32,
    /// Its decision key.
    pub key: String,
    /// Whether it was chosen.
    pub chosen: bool,
    /// Why it was or was not chosen.
    pub reason: String,
}
