//! adloom: personalized ad creatives from one template.
#![forbid(unsafe_code)]

pub mod draw;
pub mod encode;
pub mod error;
pub mod images;
pub mod raster;
pub mod text;

pub use error::{Error, Result};
