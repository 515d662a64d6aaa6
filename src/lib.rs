//! adloom: personalized ad creatives from one template.
#![forbid(unsafe_code)]

pub mod bind;
pub mod draw;
pub mod error;
pub mod format;
pub mod text;

pub use error::{Error, Result};
