//! The one error type of the crate.
//!
//! Every variant carries enough context to act on: a JSON path into the
//! template or input, the name of a limit and its value, the key of an image.
//! `Display` renders the path first, `path: reason`, so messages read the same
//! in the CLI, in a thrown JS `Error` and in the worker's fallback header.

use std::fmt;

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a template and its encoded bytes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The template (or data/context/options) is not valid: `path` is a JSON
    /// path such as `root.props.children[2].props.style.width`.
    Invalid {
        /// Where in the document the problem is.
        path: String,
        /// What is wrong there.
        reason: String,
    },
    /// A limit was exceeded.
    Limit {
        /// Where the limit was hit (a JSON path or a subject such as an image key).
        path: String,
        /// Which limit, e.g. `maxNodes`.
        limit: &'static str,
        /// The configured maximum.
        max: u64,
        /// The value seen (or a lower bound of it).
        actual: u64,
    },
    /// A rule's JSONLogic expression failed to compile or evaluate.
    Rule {
        /// Path of the rule, e.g. `rules[1].when`.
        path: String,
        /// The evaluator's message.
        reason: String,
    },
    /// The requested size is not one the template serves.
    UnknownSize {
        /// The size asked for, e.g. `333x250`.
        requested: String,
        /// The sizes the template lists.
        available: Vec<String>,
    },
    /// A font could not be parsed.
    Font {
        /// Why.
        reason: String,
    },
    /// An image could not be decoded, or the render needs one that is not loaded.
    Image {
        /// The image's key (its `src`).
        key: String,
        /// Why.
        reason: String,
    },
    /// Encoding the pixels failed.
    Encode {
        /// Why.
        reason: String,
    },
    /// The creative broke the template's guardrails and `guardrails.failOn`
    /// says that fails the render (hosts serve the fallback).
    Guardrail {
        /// Number of findings at or above the `failOn` level.
        findings: u32,
        /// The first finding, as a sentence.
        reason: String,
    },
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Limit`].
    pub fn limit(path: impl Into<String>, limit: &'static str, max: u64, actual: u64) -> Self {
        Error::Limit {
            path: path.into(),
            limit,
            max,
            actual,
        }
    }

    /// A short machine-friendly category, used e.g. in the worker's
    /// `X-Adloom-Fallback` header.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::Limit { .. } => "limit",
            Error::Rule { .. } => "rule",
            Error::UnknownSize { .. } => "unknown-size",
            Error::Font { .. } => "font",
            Error::Image { .. } => "image",
            Error::Encode { .. } => "encode",
            Error::Guardrail { .. } => "guardrail",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { path, reason } if path.is_empty() => f.write_str(reason),
            Error::Invalid { path, reason } => write!(f, "{path}: {reason}"),
            Error::Limit {
                path,
                limit,
                max,
                actual,
            } => write!(f, "{path}: exceeds {limit} ({actual} > {max})"),
            Error::Rule { path, reason } => write!(f, "{path}: {reason}"),
            Error::UnknownSize {
                requested,
                available,
            } => write!(
                f,
                "size {requested} is not served by this template; it has {}",
                available.join(", ")
            ),
            Error::Font { reason } => write!(f, "font: {reason}"),
            Error::Image { key, reason } => write!(f, "image `{key}`: {reason}"),
            Error::Encode { reason } => write!(f, "encode: {reason}"),
            Error::Guardrail { findings, reason } => {
                write!(
                    f,
                    "guardrails: {findings} finding(s) fail the render; {reason}"
                )
            }
        }
    }
}

impl std::error::Error for Error {}
