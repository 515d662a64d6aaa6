//! adloom: personalized ad creatives from one template.
//!
//! The pipeline, one module per stage, each with a typed output:
//!
//! 1. [`template`]: parse and validate a template ([`template::Template`]);
//!    errors name the JSON path.
//! 2. [`evaluate`]: template + data + context + size → [`scene::Scene`] and a
//!    [`scene::Decision`] (rules in [`rules`], bindings in [`bind`]).
//! 3. [`layout`]: flexbox via taffy and text via [`text`] → [`draw::DisplayList`].
//! 4. [`raster`]: tiny-skia pixels; [`encode`]: PNG / JPEG / WebP.
//!
//! [`engine::Engine`] holds fonts and decoded images across renders:
//!
//! ```
//! use adloom::engine::{Engine, RenderInput};
//! let engine = Engine::new();
//! let template = engine.compile(r##"{
//!     "name": "hello", "sizes": [{ "size": "120x60" }],
//!     "sample": { "data": {}, "context": { "weather": "rain" } },
//!     "rules": [{ "id": "rain", "when": { "==": [{ "var": "context.weather" }, "rain"] },
//!                 "set": { "root.backgroundColor": "#0f4c81" } }],
//!     "root": { "type": "div", "props": { "id": "root", "style": { "backgroundColor": "#1b998b" } } }
//! }"##)?;
//! let plan = engine.plan(&template, &RenderInput::default())?;
//! assert_eq!(plan.decision.fired, ["rain"]);
//! let out = engine.render(&template, &RenderInput::default())?;
//! assert_eq!((out.width, out.height), (120, 60));
//! assert_eq!(out.decision.key, plan.decision.key);
//! # Ok::<(), adloom::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod bandit;
pub mod bind;
pub mod draw;
pub mod encode;
pub mod engine;
pub mod error;
pub mod evaluate;
pub mod format;
pub mod guardrails;
pub mod images;
pub mod layout;
pub mod raster;
pub mod rules;
pub mod scene;
pub mod schema;
pub mod score;
pub mod simulate;
pub mod style;
pub mod template;
pub mod text;
pub mod theme;
pub mod variants;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
