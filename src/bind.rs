//! Interim binding support (replaced by the full implementation on the `format` branch).
use serde_json::Value;

/// Where bindings read from.
pub struct Scope<'a> {
    /// The data object.
    pub data: &'a Value,
    /// The context object.
    pub context: &'a Value,
}

impl Scope<'_> {
    /// Value at a binding path.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let (root, rest) = if let Some(r) = path.strip_prefix("context.") {
            (self.context, r)
        } else if let Some(r) = path.strip_prefix("data.") {
            (self.data, r)
        } else {
            (self.data, path)
        };
        rest.split('.').try_fold(root, |v, k| v.get(k))
    }
}

/// A string with `{{path}}` bindings.
#[derive(Clone, Debug, PartialEq)]
pub struct TextTemplate {
    parts: Vec<(bool, String)>,
}

impl TextTemplate {
    /// Parse.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find("{{") {
            parts.push((false, rest[..i].to_string()));
            let end = rest[i..].find("}}").ok_or("unclosed {{")?;
            parts.push((true, rest[i + 2..i + end].trim().to_string()));
            rest = &rest[i + end + 2..];
        }
        parts.push((false, rest.to_string()));
        Ok(TextTemplate { parts })
    }
    /// No bindings.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| !p.0)
    }
    /// Paths read.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter(|p| p.0).map(|p| p.1.as_str())
    }
    /// Render.
    pub fn render(&self, scope: &Scope, _locale: &str) -> Result<String, String> {
        let mut out = String::new();
        for (b, s) in &self.parts {
            if *b {
                match scope.get(s) {
                    Some(Value::String(v)) => out.push_str(v),
                    Some(v) => out.push_str(&v.to_string()),
                    None => return Err(format!("no value at {s}")),
                }
            } else {
                out.push_str(s);
            }
        }
        Ok(out)
    }
    /// Render keeping the JSON type of a lone binding.
    pub fn render_value(&self, scope: &Scope, locale: &str) -> Result<Value, String> {
        self.render(scope, locale).map(Value::String)
    }
}
