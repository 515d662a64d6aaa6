//! The template document: parsing, validation and compilation.
//!
//! [`TemplateDoc`] mirrors the JSON a designer writes (serde, unknown fields
//! rejected, camelCase). [`Template::compile`] turns it into a [`Template`]:
//! an arena of nodes with parsed styles, parsed `{{bindings}}`, compiled
//! JSONLogic rules and per-size overrides, all validated up front so that
//! evaluation only fails on data it could not have known.
//!
//! Every error names the JSON path of the offending value.

use crate::bind::TextTemplate;
use crate::error::{Error, Result};
use crate::rules::CompiledRule;
use crate::style::{apply_property, parse_style, StyleDecl};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Limits that protect hosts from hostile or broken input. A template's
/// `limits` section may only lower these; the engine's values are the ceiling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Limits {
    /// Largest canvas side in px. Default 4096.
    pub max_canvas_side: u32,
    /// Largest canvas area in px. Default 4,194,304 (2048²; 1080×1920 fits).
    pub max_canvas_pixels: u64,
    /// Most element and text nodes in a template. Default 1000.
    pub max_nodes: u32,
    /// Deepest nesting of elements. Default 32.
    pub max_depth: u32,
    /// Longest text of one node after bindings, in chars. Default 2000.
    pub max_text_length: u32,
    /// Most JSONLogic operators and values in one rule. Default 500.
    pub max_rule_nodes: u32,
    /// Upper bound of evaluation steps of one rule, estimated from its size
    /// and the largest array it could iterate. Default 100,000.
    pub max_rule_steps: u64,
    /// Most rules in a template. Default 200.
    pub max_rules: u32,
    /// Largest template, data or context document in bytes. Default 1 MiB.
    pub max_document_bytes: u64,
    /// Largest encoded image in bytes. Default 16 MiB.
    pub max_image_bytes: u64,
    /// Largest decoded image in pixels. Default 25,000,000.
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_canvas_side: 4096,
            max_canvas_pixels: 2048 * 2048,
            max_nodes: 1000,
            max_depth: 32,
            max_text_length: 2000,
            max_rule_nodes: 500,
            max_rule_steps: 100_000,
            max_rules: 200,
            max_document_bytes: 1 << 20,
            max_image_bytes: 16 << 20,
            max_image_pixels: 25_000_000,
        }
    }
}

impl Limits {
    /// The stricter of two sets of limits, field by field.
    pub fn min(&self, other: &Limits) -> Limits {
        Limits {
            max_canvas_side: self.max_canvas_side.min(other.max_canvas_side),
            max_canvas_pixels: self.max_canvas_pixels.min(other.max_canvas_pixels),
            max_nodes: self.max_nodes.min(other.max_nodes),
            max_depth: self.max_depth.min(other.max_depth),
            max_text_length: self.max_text_length.min(other.max_text_length),
            max_rule_nodes: self.max_rule_nodes.min(other.max_rule_nodes),
            max_rule_steps: self.max_rule_steps.min(other.max_rule_steps),
            max_rules: self.max_rules.min(other.max_rules),
            max_document_bytes: self.max_document_bytes.min(other.max_document_bytes),
            max_image_bytes: self.max_image_bytes.min(other.max_image_bytes),
            max_image_pixels: self.max_image_pixels.min(other.max_image_pixels),
        }
    }
}

/// One size the template serves, e.g. `{ "size": "728x90", "overrides": {…} }`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SizeDoc {
    /// `WIDTHxHEIGHT` in px, e.g. `300x250`.
    pub size: String,
    /// Optional name shown in previews, e.g. `Medium rectangle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Per node id: style properties (and `text`, `src`) that replace the
    /// template's for this size.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schemars(with = "HashMap<String, crate::schema::OverrideSchema>")]
    pub overrides: Map<String, Value>,
}

/// A rule: when the JSONLogic condition holds, set properties.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleDoc {
    /// Unique name, shown in decisions.
    pub id: String,
    /// Why the rule exists, for people reading decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A JSONLogic expression (jsonlogic.com) over `{ "data": …, "context": … }`.
    #[schemars(with = "Value")]
    pub when: Value,
    /// `"<nodeId>.<property>": value` — property is `text`, `src` or a style
    /// property; string values may contain `{{bindings}}`.
    #[schemars(with = "HashMap<String, Value>")]
    pub set: Map<String, Value>,
}

/// Sample inputs: every template renders as designed with these alone.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SampleDoc {
    /// A product-feed row.
    #[serde(default)]
    #[schemars(with = "HashMap<String, Value>")]
    pub data: Map<String, Value>,
    /// A viewer context.
    #[serde(default)]
    #[schemars(with = "HashMap<String, Value>")]
    pub context: Map<String, Value>,
}

/// What to render when anything goes wrong: the template with these inputs
/// and no rules, so the slot is never empty.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FallbackDoc {
    /// Data for the fallback creative (default: the sample data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<HashMap<String, Value>>")]
    pub data: Option<Map<String, Value>>,
    /// Context for the fallback creative (default: the sample context).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<HashMap<String, Value>>")]
    pub context: Option<Map<String, Value>>,
    /// Evaluate the rules for the fallback too (default false: the fallback is
    /// the template as designed).
    #[serde(default)]
    pub rules: bool,
}

/// The template as written in JSON.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "adloom template")]
pub struct TemplateDoc {
    /// Editor hint, ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Template name, used in URLs and file names.
    pub name: String,
    /// What the creative is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Default locale for formatters when the context has no `locale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The sizes served, with per-size overrides.
    pub sizes: Vec<SizeDoc>,
    /// Sample data and context.
    #[serde(default)]
    pub sample: SampleDoc,
    /// Rules, evaluated in order; a later rule overrides an earlier one.
    #[serde(default)]
    pub rules: Vec<RuleDoc>,
    /// The element tree (satori / @vercel/og shape).
    #[schemars(with = "crate::schema::NodeSchema")]
    pub root: Value,
    /// The fallback creative.
    #[serde(default)]
    pub fallback: FallbackDoc,
    /// Stricter limits for this template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    /// Brand guardrails checked on every plan and render.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrails: Option<crate::guardrails::GuardrailsDoc>,
    /// Variants and A/B: dimensions of alternatives, holdout, allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<crate::variants::VariantsDoc>,
}

/// Index of a node in [`Template::nodes`].
pub type NodeIndex = usize;

/// What a template node is.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A flex container.
    Box,
    /// A box whose content is text.
    Text(TextTemplate),
    /// An image; `src` may contain bindings.
    Image(TextTemplate),
}

/// A compiled node.
#[derive(Clone, Debug)]
pub struct TemplateNode {
    /// The `id` prop, used by overrides, rules and reports.
    pub id: Option<String>,
    /// Box, text or image.
    pub kind: NodeKind,
    /// The parsed style.
    pub style: StyleDecl,
    /// Children, in order.
    pub children: Vec<NodeIndex>,
    /// JSON path of the node, for messages.
    pub path: String,
}

/// A value a rule or an override assigns.
#[derive(Clone, Debug)]
pub enum Assign {
    /// Replace the node's text.
    Text(TextTemplate),
    /// Replace the image source.
    Src(TextTemplate),
    /// Style properties known at compile time.
    Style(Box<StyleDecl>),
    /// A style property whose value has bindings: parsed after they resolve.
    BoundStyle {
        /// Property name.
        property: String,
        /// The value template.
        value: TextTemplate,
    },
}

/// One assignment to one node.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Target node.
    pub node: NodeIndex,
    /// The key as written (`headline.text`), for decisions.
    pub key: String,
    /// The JSON value as written, for decisions.
    pub written: Value,
    /// What to apply.
    pub assign: Assign,
}

/// A size with its overrides compiled.
#[derive(Clone, Debug)]
pub struct Size {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// Optional display name.
    pub label: Option<String>,
    /// Overrides, in the order written.
    pub overrides: Vec<Assignment>,
}

impl Size {
    /// `WIDTHxHEIGHT`.
    pub fn name(&self) -> String {
        format!("{}x{}", self.width, self.height)
    }
}

/// A rule, compiled.
#[derive(Debug)]
pub struct Rule {
    /// Its id.
    pub id: String,
    /// Its description.
    pub description: Option<String>,
    /// The compiled condition.
    pub when: CompiledRule,
    /// What it sets when it fires.
    pub set: Vec<Assignment>,
}

/// A validated, compiled template, ready to evaluate many times.
#[derive(Debug)]
pub struct Template {
    /// The document as written (kept for JSON output and schema round-trips).
    pub doc: TemplateDoc,
    /// Nodes; index 0 is the root.
    pub nodes: Vec<TemplateNode>,
    /// Sizes served.
    pub sizes: Vec<Size>,
    /// Rules in order.
    pub rules: Vec<Rule>,
    /// Effective limits (engine ceiling merged with the template's own).
    pub limits: Limits,
    /// Harmless problems found while compiling (unsupported CSS, …).
    pub warnings: Vec<String>,
    /// Node index by id.
    pub ids: HashMap<String, NodeIndex>,
    /// The guardrails, validated (defaults when the template has none).
    pub guardrails: crate::guardrails::Guardrails,
    /// The compiled `variants` section, if any.
    pub variants: Option<crate::variants::Variants>,
}

impl Template {
    /// Parse and compile a template from JSON text, under `ceiling` limits.
    pub fn parse(json: &str, ceiling: &Limits) -> Result<Template> {
        if json.len() as u64 > ceiling.max_document_bytes {
            return Err(Error::limit(
                "template",
                "maxDocumentBytes",
                ceiling.max_document_bytes,
                json.len() as u64,
            ));
        }
        let mut de = serde_json::Deserializer::from_str(json);
        let doc: TemplateDoc = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let path = if path == "." { String::new() } else { path };
            Error::invalid(path, clean_serde_message(&inner))
        })?;
        Template::compile(doc, ceiling)
    }

    /// Compile a parsed document.
    pub fn compile(doc: TemplateDoc, ceiling: &Limits) -> Result<Template> {
        let limits = match &doc.limits {
            Some(own) => ceiling.min(own),
            None => ceiling.clone(),
        };
        let mut warnings = Vec::new();
        let nodes = compile_tree(&doc.root, &limits, &mut warnings)?;
        let mut ids = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if let Some(id) = &n.id {
                if ids.insert(id.clone(), i).is_some() {
                    return Err(Error::invalid(
                        format!("{}.props.id", n.path),
                        format!("duplicate id `{id}`"),
                    ));
                }
            }
        }
        if doc.sizes.is_empty() {
            return Err(Error::invalid(
                "sizes",
                "a template needs at least one size",
            ));
        }
        let mut sizes: Vec<Size> = Vec::with_capacity(doc.sizes.len());
        for (i, s) in doc.sizes.iter().enumerate() {
            let path = format!("sizes[{i}]");
            let (width, height) =
                parse_size(&s.size).map_err(|r| Error::invalid(format!("{path}.size"), r))?;
            check_canvas(width, height, &limits, &format!("{path}.size"))?;
            if sizes.iter().any(|o| o.width == width && o.height == height) {
                return Err(Error::invalid(
                    format!("{path}.size"),
                    format!("size {} is listed twice", s.size),
                ));
            }
            let mut overrides = Vec::new();
            for (node_id, props) in &s.overrides {
                let at = format!("{path}.overrides.{node_id}");
                let node = *ids
                    .get(node_id)
                    .ok_or_else(|| Error::invalid(&at, format!("no node has id `{node_id}`")))?;
                let props = props
                    .as_object()
                    .ok_or_else(|| Error::invalid(&at, "expected an object of properties"))?;
                for (prop, value) in props {
                    overrides.push(compile_assignment(
                        &nodes,
                        node,
                        prop,
                        value,
                        &format!("{at}.{prop}"),
                        &limits,
                        &mut warnings,
                    )?);
                }
            }
            sizes.push(Size {
                width,
                height,
                label: s.label.clone(),
                overrides,
            });
        }
        if doc.rules.len() as u64 > limits.max_rules as u64 {
            return Err(Error::limit(
                "rules",
                "maxRules",
                limits.max_rules as u64,
                doc.rules.len() as u64,
            ));
        }
        let mut rules = Vec::with_capacity(doc.rules.len());
        let mut seen_rule_ids = std::collections::HashSet::new();
        for (i, r) in doc.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            if r.id.is_empty() || !seen_rule_ids.insert(r.id.clone()) {
                return Err(Error::invalid(
                    format!("{path}.id"),
                    format!("rule ids must be unique and non-empty (`{}`)", r.id),
                ));
            }
            let when = CompiledRule::compile(&r.when, &format!("{path}.when"), &limits)?;
            let mut set = Vec::with_capacity(r.set.len());
            for (key, value) in &r.set {
                let at = format!("{path}.set[\"{key}\"]");
                let (node_id, prop) = key
                    .split_once('.')
                    .ok_or_else(|| Error::invalid(&at, "keys are `<nodeId>.<property>`"))?;
                let node = *ids
                    .get(node_id)
                    .ok_or_else(|| Error::invalid(&at, format!("no node has id `{node_id}`")))?;
                set.push(compile_assignment(
                    &nodes,
                    node,
                    prop,
                    value,
                    &at,
                    &limits,
                    &mut warnings,
                )?);
            }
            rules.push(Rule {
                id: r.id.clone(),
                description: r.description.clone(),
                when,
                set,
            });
        }
        let guardrails = crate::guardrails::Guardrails::compile(
            doc.guardrails.clone().unwrap_or_default(),
            &|id| ids.contains_key(id),
        )?;
        let variants = match &doc.variants {
            Some(v) => Some(crate::variants::Variants::compile(
                v,
                &doc.name,
                &nodes,
                &ids,
                &limits,
                &mut warnings,
            )?),
            None => None,
        };
        Ok(Template {
            doc,
            nodes,
            sizes,
            rules,
            limits,
            warnings,
            ids,
            guardrails,
            variants,
        })
    }

    /// Compile a set of assignments written like a rule's `set`
    /// (`"<nodeId>.<property>": value`), e.g. a render candidate's; `path`
    /// prefixes error paths.
    pub fn compile_set(&self, set: &Map<String, Value>, path: &str) -> Result<Vec<Assignment>> {
        let mut warnings = Vec::new();
        let mut out = Vec::with_capacity(set.len());
        for (key, value) in set {
            let at = format!("{path}[\"{key}\"]");
            let (node_id, prop) = key
                .split_once('.')
                .ok_or_else(|| Error::invalid(&at, "keys are `<nodeId>.<property>`"))?;
            let node = *self
                .ids
                .get(node_id)
                .ok_or_else(|| Error::invalid(&at, format!("no node has id `{node_id}`")))?;
            out.push(compile_assignment(
                &self.nodes,
                node,
                prop,
                value,
                &at,
                &self.limits,
                &mut warnings,
            )?);
        }
        Ok(out)
    }

    /// The size named `WxH`, or an error listing the served sizes.
    pub fn size(&self, name: &str) -> Result<&Size> {
        let (w, h) = parse_size(name).map_err(|r| Error::invalid("size", r))?;
        self.sizes
            .iter()
            .find(|s| s.width == w && s.height == h)
            .ok_or_else(|| Error::UnknownSize {
                requested: name.to_string(),
                available: self.sizes.iter().map(Size::name).collect(),
            })
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.doc.name
    }
}

/// Parse `300x250` (also `300×250`).
pub fn parse_size(s: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || format!("expected a size like 300x250, got \"{s}\"");
    let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 {
        return Err(format!("size must not be empty, got \"{s}\""));
    }
    Ok((w, h))
}

fn check_canvas(width: u32, height: u32, limits: &Limits, path: &str) -> Result<()> {
    let side = width.max(height);
    if side > limits.max_canvas_side {
        return Err(Error::limit(
            path,
            "maxCanvasSide",
            limits.max_canvas_side as u64,
            side as u64,
        ));
    }
    let area = width as u64 * height as u64;
    if area > limits.max_canvas_pixels {
        return Err(Error::limit(
            path,
            "maxCanvasPixels",
            limits.max_canvas_pixels,
            area,
        ));
    }
    Ok(())
}

/// serde's messages mention Rust types; reword the common ones for template authors.
fn clean_serde_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // Strip " at line N column M": the path already says where.
    let msg = match msg.find(" at line ") {
        Some(i) if e.line() > 0 => {
            format!("{} (line {}, column {})", &msg[..i], e.line(), e.column())
        }
        _ => msg,
    };
    msg.replace("invalid type: ", "wrong type: ")
        .replace("a sequence", "an array")
        .replace("struct TemplateDoc", "a template object")
        .replace("a map", "an object")
}

const ELEMENT_TYPES: &[&str] = &[
    "div", "span", "p", "img", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer",
    "main", "article", "a", "button", "strong", "em", "b", "i", "small", "label",
];

/// Walk the element tree iteratively (the wasm stack is small) and build the arena.
fn compile_tree(
    root: &Value,
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Result<Vec<TemplateNode>> {
    // (value, path, depth, parent index, child string that is a text node)
    let mut nodes: Vec<TemplateNode> = Vec::new();
    let mut stack: Vec<(&Value, String, u32, Option<NodeIndex>)> =
        vec![(root, "root".to_string(), 1, None)];
    while let Some((value, path, depth, parent)) = stack.pop() {
        if depth > limits.max_depth {
            return Err(Error::limit(
                &path,
                "maxDepth",
                limits.max_depth as u64,
                depth as u64,
            ));
        }
        if nodes.len() as u64 >= limits.max_nodes as u64 {
            return Err(Error::limit(
                &path,
                "maxNodes",
                limits.max_nodes as u64,
                nodes.len() as u64 + 1,
            ));
        }
        let index = nodes.len();
        let (node, children) = match value {
            Value::String(s) => (text_node(s, &path, limits)?, Vec::new()),
            Value::Number(n) => (text_node(&n.to_string(), &path, limits)?, Vec::new()),
            Value::Object(obj) => element_node(obj, &path, limits, warnings)?,
            other => {
                return Err(Error::invalid(
                    &path,
                    format!(
                        "expected an element {{\"type\", \"props\"}} or a string, got {}",
                        kind_of(other)
                    ),
                ))
            }
        };
        nodes.push(node);
        if let Some(p) = parent {
            nodes[p].children.push(index);
        }
        // Push in reverse so children are compiled (and indexed) in order.
        for (i, child) in children.into_iter().enumerate().rev() {
            stack.push((
                child,
                format!("{path}.props.children[{i}]"),
                depth + 1,
                Some(index),
            ));
        }
    }
    // Children are pushed in reverse, so they pop (and are indexed) in
    // document order, depth first: `children` lists come out in order.
    Ok(nodes)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn text_node(s: &str, path: &str, limits: &Limits) -> Result<TemplateNode> {
    Ok(TemplateNode {
        id: None,
        kind: NodeKind::Text(parse_text(s, path, limits)?),
        style: StyleDecl::default(),
        children: Vec::new(),
        path: path.to_string(),
    })
}

fn parse_text(s: &str, path: &str, limits: &Limits) -> Result<TextTemplate> {
    if s.chars().count() as u64 > limits.max_text_length as u64 * 4 {
        return Err(Error::limit(
            path,
            "maxTextLength",
            limits.max_text_length as u64,
            s.chars().count() as u64,
        ));
    }
    TextTemplate::parse(s).map_err(|r| Error::invalid(path, r))
}

fn element_node<'a>(
    obj: &'a Map<String, Value>,
    path: &str,
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Result<(TemplateNode, Vec<&'a Value>)> {
    for key in obj.keys() {
        if !matches!(key.as_str(), "type" | "props" | "key") {
            return Err(Error::invalid(
                format!("{path}.{key}"),
                "unknown field; an element has `type` and `props`",
            ));
        }
    }
    let ty = obj.get("type").and_then(Value::as_str).ok_or_else(|| {
        Error::invalid(
            format!("{path}.type"),
            "expected an element type such as \"div\" or \"img\"",
        )
    })?;
    if !ELEMENT_TYPES.contains(&ty) {
        return Err(Error::invalid(
            format!("{path}.type"),
            format!(
                "unknown element type \"{ty}\"; use one of {}",
                ELEMENT_TYPES.join(", ")
            ),
        ));
    }
    let props: Option<&'a Map<String, Value>> = match obj.get("props") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(p),
        Some(other) => {
            return Err(Error::invalid(
                format!("{path}.props"),
                format!("expected an object, got {}", kind_of(other)),
            ))
        }
    };
    let mut id = None;
    let mut style = StyleDecl::default();
    let mut children: Vec<&Value> = Vec::new();
    let mut src = None;
    let (mut attr_width, mut attr_height) = (None, None);
    for (key, value) in props.into_iter().flatten() {
        let at = format!("{path}.props.{key}");
        match key.as_str() {
            "id" => {
                let s = value.as_str().filter(|s| !s.is_empty() && !s.contains('.'));
                id = Some(s.ok_or_else(|| Error::invalid(&at, "expected a non-empty string without dots"))?.to_string());
            }
            "style" => {
                let map = value
                    .as_object()
                    .ok_or_else(|| Error::invalid(&at, format!("expected an object, got {}", kind_of(value))))?;
                style = parse_style(map, &at, warnings)?;
            }
            "children" => match value {
                Value::Array(items) => children.extend(items.iter().filter(|v| !v.is_null())),
                Value::Null => {}
                other => children.push(other),
            },
            "src" if ty == "img" => src = Some(parse_text(value.as_str().ok_or_else(|| Error::invalid(&at, "expected a string"))?, &at, limits)?),
            "width" if ty == "img" => attr_width = Some(value.clone()),
            "height" if ty == "img" => attr_height = Some(value.clone()),
            "alt" | "className" | "tw" | "key" | "href" => {}
            _ => return Err(Error::invalid(&at, format!("unknown prop `{key}`; props are id, style, children (and src, width, height, alt on img)"))),
        }
    }
    // `<img width height>` attributes, as satori requires them, act as a default size.
    for (attr, name) in [(attr_width, "width"), (attr_height, "height")] {
        if let Some(v) = attr {
            let mut tmp = StyleDecl::default();
            apply_property(&mut tmp, name, &v, warnings)
                .map_err(|r| Error::invalid(format!("{path}.props.{name}"), r))?;
            tmp.merge(&style);
            style = tmp;
        }
    }
    let kind = if ty == "img" {
        if !children.is_empty() {
            return Err(Error::invalid(
                format!("{path}.props.children"),
                "an img has no children",
            ));
        }
        NodeKind::Image(
            src.ok_or_else(|| Error::invalid(format!("{path}.props.src"), "an img needs a src"))?,
        )
    } else if !children.is_empty() && children.iter().all(|c| c.is_string() || c.is_number()) {
        // Only text inside: the element itself is the text box.
        let joined: String = children
            .iter()
            .map(|c| match c {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        children.clear();
        NodeKind::Text(parse_text(
            &joined,
            &format!("{path}.props.children"),
            limits,
        )?)
    } else {
        NodeKind::Box
    };
    Ok((
        TemplateNode {
            id,
            kind,
            style,
            children: Vec::new(),
            path: path.to_string(),
        },
        children,
    ))
}

pub(crate) fn compile_assignment(
    nodes: &[TemplateNode],
    node: NodeIndex,
    prop: &str,
    value: &Value,
    path: &str,
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Result<Assignment> {
    let as_text = |v: &Value| -> Result<TextTemplate> {
        match v {
            Value::String(s) => parse_text(s, path, limits),
            Value::Number(n) => parse_text(&n.to_string(), path, limits),
            other => Err(Error::invalid(
                path,
                format!("expected a string, got {}", kind_of(other)),
            )),
        }
    };
    let target = &nodes[node];
    let assign = match prop {
        "text" => {
            if matches!(target.kind, NodeKind::Image(_)) || !target.children.is_empty() {
                return Err(Error::invalid(
                    path,
                    "`text` can only be set on a text element (one whose children are text)",
                ));
            }
            Assign::Text(as_text(value)?)
        }
        "src" => {
            if !matches!(target.kind, NodeKind::Image(_)) {
                return Err(Error::invalid(path, "`src` can only be set on an img"));
            }
            Assign::Src(as_text(value)?)
        }
        "visible" => {
            let visible = value
                .as_bool()
                .ok_or_else(|| Error::invalid(path, "expected true or false"))?;
            let mut decl = StyleDecl::default();
            let display = if visible { "flex" } else { "none" };
            apply_property(&mut decl, "display", &Value::from(display), warnings)
                .map_err(|r| Error::invalid(path, r))?;
            Assign::Style(Box::new(decl))
        }
        _ => match value {
            Value::String(s) if s.contains("{{") => {
                // Check the property name now; the value is checked once bound.
                let mut probe = StyleDecl::default();
                if let Err(reason) = apply_property(&mut probe, prop, &Value::Null, &mut Vec::new())
                {
                    if reason.starts_with("unknown style property") {
                        return Err(Error::invalid(path, reason));
                    }
                }
                Assign::BoundStyle {
                    property: prop.to_string(),
                    value: as_text(value)?,
                }
            }
            _ => {
                let mut decl = StyleDecl::default();
                apply_property(&mut decl, prop, value, warnings)
                    .map_err(|r| Error::invalid(path, r))?;
                Assign::Style(Box::new(decl))
            }
        },
    };
    Ok(Assignment {
        node,
        key: format!("{}.{prop}", target.id.as_deref().unwrap_or_default()),
        written: value.clone(),
        assign,
    })
}
