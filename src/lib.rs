//! adloom: personalized ad creatives from one template.
#![forbid(unsafe_code)]

pub mod bind;
pub mod draw;
pub mod encode;
pub mod engine;
pub mod error;
pub mod evaluate;
pub mod format;
pub mod images;
pub mod layout;
pub mod raster;
pub mod rules;
pub mod scene;
pub mod schema;
pub mod style;
pub mod template;
pub mod text;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
