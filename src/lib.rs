//! adloom: personalized ad creatives from one template.
#![forbid(unsafe_code)]

pub mod bind;
pub mod draw;
pub mod error;
pub mod evaluate;
pub mod layout;
pub mod rules;
pub mod scene;
pub mod schema;
pub mod style;
pub mod template;
pub mod text;

pub use error::{Error, Result};
