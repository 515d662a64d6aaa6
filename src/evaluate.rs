//! Evaluation: template + data + context + size → [`Scene`] + [`Decision`].
//!
//! Order of precedence, lowest first: the template as written, then the
//! size's overrides, then the chosen variant's sets, then the rules in order
//! (a later rule overrides an earlier one on the same key). Bindings are resolved last, against the data
//! and context, with the locale from `context.locale`, else the template's
//! `locale`, else `en-US`.

use crate::bind::{Scope, TextTemplate};
use crate::error::{Error, Result};
use crate::rules::{longest_array, to_arena};
use crate::scene::{Assets, Content, Decision, RuleOutcome, Scene, SceneNode};
use crate::style::{apply_property, ComputedStyle, Display, StyleDecl, TextTransform};
use crate::template::{Assign, Assignment, NodeKind, Size, Template};
use crate::variants::{Chosen, Variants};
use datalogic_rs::bumpalo::Bump;
use serde_json::{Map, Value};
use xxhash_rust::xxh3::Xxh3;

/// Bumped whenever rendering changes pixels, so old cache keys stop matching.
const ENGINE_EPOCH: &str = "adloom-scene-1";

/// Per-evaluation switches.
#[derive(Clone, Copy, Debug)]
pub struct EvalOptions<'a> {
    /// Evaluate the template's rules (false for the plain fallback creative).
    pub rules: bool,
    /// Assignments applied after the rules (a render candidate's `set`).
    pub extra: &'a [Assignment],
    /// The `image` root of bindings and rules: per img node id, its `src`,
    /// whether it is `loaded`, its size and `theme` (see [`crate::theme`]).
    pub images: Option<&'a Value>,
}

impl Default for EvalOptions<'_> {
    fn default() -> Self {
        EvalOptions {
            rules: true,
            extra: &[],
            images: None,
        }
    }
}

/// The locale formatters use for this context.
pub fn locale_of(template: &Template, context: &Value) -> String {
    context
        .get("locale")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() < 36)
        .map(str::to_string)
        .or_else(|| template.doc.locale.clone())
        .unwrap_or_else(|| "en-US".to_string())
}

/// Evaluate `template` at `size` for `data` and `context` (both JSON objects).
/// `fonts_fingerprint` identifies the loaded fonts; it enters the decision key.
/// No variant is applied (see [`evaluate_variant`]).
pub fn evaluate(
    template: &Template,
    size: &Size,
    data: &Value,
    context: &Value,
    fonts_fingerprint: u64,
    options: EvalOptions,
) -> Result<(Scene, Decision)> {
    evaluate_variant(
        template,
        size,
        data,
        context,
        fonts_fingerprint,
        options,
        None,
    )
}

/// [`evaluate`] with a chosen variant (from [`crate::variants::Variants::choose`]):
/// its sets apply after the size overrides and before the rules, rules read
/// it as `variant.<dimension>`, and its id enters the decision key.
pub fn evaluate_variant(
    template: &Template,
    size: &Size,
    data: &Value,
    context: &Value,
    fonts_fingerprint: u64,
    options: EvalOptions,
    variant: Option<Chosen>,
) -> Result<(Scene, Decision)> {
    for (name, v) in [("data", data), ("context", context)] {
        if !v.is_object() {
            return Err(Error::invalid(name, "expected a JSON object"));
        }
    }
    let limits = &template.limits;
    let scope = Scope {
        data,
        context,
        image: options.images,
    };
    let locale = locale_of(template, context);
    let mut read = Map::new();

    // Assignments per node: size overrides first, then fired rules in order.
    let mut per_node: Vec<Vec<(&Assignment, Option<usize>)>> =
        vec![Vec::new(); template.nodes.len()];
    for a in &size.overrides {
        per_node[a.node].push((a, None));
    }
    let variant_sets: Vec<&Assignment> = match (&template.variants, &variant) {
        (Some(v), Some(chosen)) => v.assignments(chosen),
        _ => Vec::new(),
    };
    for a in &variant_sets {
        per_node[a.node].push((a, None));
    }
    let mut outcomes = Vec::with_capacity(template.rules.len());
    if options.rules && !template.rules.is_empty() {
        let mut input = serde_json::json!({ "data": data, "context": context });
        if let (Some(images), Value::Object(m)) = (options.images, &mut input) {
            m.insert("image".to_string(), images.clone());
        }
        if let (Some(chosen), Value::Object(m)) = (&variant, &mut input) {
            m.insert("variant".into(), Variants::rule_input(chosen));
        }
        let longest = longest_array(&input);
        let arena = Bump::new();
        let arena_input = to_arena(&input, &arena)?;
        for (i, rule) in template.rules.iter().enumerate() {
            let fired = rule.when.eval(arena_input, &arena, longest, limits)?;
            let mut rule_read = Map::new();
            for path in &rule.when.reads {
                let v = lookup_input(&input, path).cloned().unwrap_or(Value::Null);
                read.insert(path.clone(), v.clone());
                rule_read.insert(path.clone(), v);
            }
            let mut set = Map::new();
            if fired {
                for a in &rule.set {
                    per_node[a.node].push((a, Some(i)));
                    set.insert(a.key.clone(), a.written.clone());
                }
            }
            outcomes.push(RuleOutcome {
                id: rule.id.clone(),
                description: rule.description.clone(),
                fired,
                read: rule_read,
                set,
                overridden: Vec::new(),
            });
        }
        mark_overridden(&mut outcomes);
    }
    for a in options.extra {
        per_node[a.node].push((a, None));
    }

    // Build the scene depth first, iteratively, skipping `display: none`.
    let mut nodes: Vec<SceneNode> = Vec::new();
    let mut assets = Assets::default();
    let root_parent = ComputedStyle {
        font_family: Vec::new(),
        ..ComputedStyle::default()
    };
    // (template node, parent scene index, parent computed style index)
    let mut stack: Vec<(usize, Option<usize>)> = vec![(0, None)];
    while let Some((ti, parent)) = stack.pop() {
        let tnode = &template.nodes[ti];
        let mut decl = tnode.style.clone();
        let mut text = match &tnode.kind {
            NodeKind::Text(t) => Some(t),
            _ => None,
        };
        let mut src = match &tnode.kind {
            NodeKind::Image(t) => Some(t),
            _ => None,
        };
        for (a, _) in &per_node[ti] {
            match &a.assign {
                Assign::Text(t) => text = Some(t),
                Assign::Src(t) => src = Some(t),
                Assign::Style(d) => decl.merge(d),
                Assign::BoundStyle { property, value } => {
                    let at = assignment_path(template, size, a);
                    let v = render_value(value, &scope, &locale, &at, &mut read)?;
                    let mut one = StyleDecl::default();
                    apply_property(&mut one, property, &v, &mut Vec::new())
                        .map_err(|r| Error::invalid(&at, r))?;
                    decl.merge(&one);
                }
            }
        }
        if decl.display == Some(Display::None) {
            continue;
        }
        let parent_style = match parent {
            Some(p) => &nodes[p].style,
            None => &root_parent,
        };
        let style = parent_style.cascade(&decl);
        let content = if let Some(t) = src {
            let key = render_text(
                t,
                &scope,
                &locale,
                &format!("{}.props.src", tnode.path),
                &mut read,
            )?;
            if key.is_empty() {
                return Err(Error::invalid(
                    format!("{}.props.src", tnode.path),
                    "the image source is empty",
                ));
            }
            if !assets.images.contains(&key) {
                assets.images.push(key.clone());
            }
            Content::Image(key)
        } else if let Some(t) = text {
            let raw = render_text(t, &scope, &locale, &tnode.path, &mut read)?;
            let s = transform(&raw, style.text_transform);
            let n = s.chars().count() as u64;
            if n > limits.max_text_length as u64 {
                return Err(Error::limit(
                    &tnode.path,
                    "maxTextLength",
                    limits.max_text_length as u64,
                    n,
                ));
            }
            for f in &style.font_family {
                if !assets.fonts.contains(f) {
                    assets.fonts.push(f.clone());
                }
            }
            Content::Text(s)
        } else {
            Content::None
        };
        let index = nodes.len();
        nodes.push(SceneNode {
            id: tnode.id.clone(),
            content,
            style,
            children: Vec::new(),
        });
        if let Some(p) = parent {
            nodes[p].children.push(index);
        }
        for &child in tnode.children.iter().rev() {
            stack.push((child, Some(index)));
        }
    }
    if nodes.is_empty() {
        return Err(Error::invalid(
            "root",
            "the root element is hidden (display: none)",
        ));
    }
    // The canvas is the root: it always fills the size.
    nodes[0].style.position = crate::style::Position::Relative;
    nodes[0].style.width = crate::style::Length::Px(size.width as f32);
    nodes[0].style.height = crate::style::Length::Px(size.height as f32);

    let scene = Scene {
        width: size.width,
        height: size.height,
        nodes,
    };
    let mut key = scene_key(&scene, fonts_fingerprint)?;
    let variant = variant.map(|chosen| {
        let mut d = chosen.decision;
        // Variant sets that a fired rule replaced: the viewer did not see them.
        d.overridden_by_rules = variant_sets
            .iter()
            .filter(|a| {
                outcomes
                    .iter()
                    .any(|o| o.fired && o.set.contains_key(&a.key))
            })
            .map(|a| a.key.clone())
            .collect();
        d
    });
    if let Some(v) = &variant {
        // The variant enters the key, so hosts caching by key never serve
        // one arm's creative (or its impression accounting) to another.
        let mut hasher = Xxh3::new();
        hasher.update(key.as_bytes());
        hasher.update(b"\x1fvariant=");
        hasher.update(v.id.as_bytes());
        key = format!("{:032x}", hasher.digest128());
    }
    let fired = outcomes
        .iter()
        .filter(|o| o.fired)
        .map(|o| o.id.clone())
        .collect();
    let decision = Decision {
        template: template.name().to_string(),
        size: size.name(),
        locale,
        key,
        rules: outcomes,
        fired,
        read,
        assets,
        fit: Vec::new(),
        warnings: template.warnings.clone(),
        fallback: None,
        pending_images: Vec::new(),
        candidate: None,
        candidates: Vec::new(),
        report: None,
        score: None,
        variant,
    };
    Ok((scene, decision))
}

/// The decision key: xxh3-128 of the scene's canonical JSON and the fonts.
/// serde_json writes floats with the same shortest round-trip digits on every
/// platform, so the key is the same natively and in wasm.
pub fn scene_key(scene: &Scene, fonts_fingerprint: u64) -> Result<String> {
    let mut hasher = Xxh3::new();
    hasher.update(ENGINE_EPOCH.as_bytes());
    hasher.update(&fonts_fingerprint.to_le_bytes());
    let json = serde_json::to_vec(scene).map_err(|e| Error::invalid("scene", e.to_string()))?;
    hasher.update(&json);
    Ok(format!("{:032x}", hasher.digest128()))
}

fn assignment_path(template: &Template, size: &Size, a: &Assignment) -> String {
    if size.overrides.iter().any(|o| std::ptr::eq(o, a)) {
        return format!("sizes[{}].overrides.{}", size.name(), a.key);
    }
    for (i, r) in template.rules.iter().enumerate() {
        if r.set.iter().any(|s| std::ptr::eq(s, a)) {
            return format!("rules[{i}].set[\"{}\"]", a.key);
        }
    }
    if let Some(path) = template.variants.as_ref().and_then(|v| v.path_of(a)) {
        return path;
    }
    a.key.clone()
}

fn lookup_input<'a>(input: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(input, |v, seg| match v {
        Value::Object(m) => m.get(seg),
        Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn note_reads(t: &TextTemplate, scope: &Scope, read: &mut Map<String, Value>) {
    for path in t.paths() {
        let full = crate::bind::full_path(path);
        let v = scope.get(path).cloned().unwrap_or(Value::Null);
        read.insert(full, v);
    }
}

fn render_text(
    t: &TextTemplate,
    scope: &Scope,
    locale: &str,
    path: &str,
    read: &mut Map<String, Value>,
) -> Result<String> {
    note_reads(t, scope, read);
    t.render(scope, locale).map_err(|r| Error::invalid(path, r))
}

fn render_value(
    t: &TextTemplate,
    scope: &Scope,
    locale: &str,
    path: &str,
    read: &mut Map<String, Value>,
) -> Result<Value> {
    note_reads(t, scope, read);
    t.render_value(scope, locale)
        .map_err(|r| Error::invalid(path, r))
}

/// Which keys a later fired rule overrode, so decisions show who won.
fn mark_overridden(outcomes: &mut [RuleOutcome]) {
    for i in 0..outcomes.len() {
        let keys: Vec<String> = outcomes[i].set.keys().cloned().collect();
        let overridden = keys
            .into_iter()
            .filter(|k| {
                outcomes[i + 1..]
                    .iter()
                    .any(|later| later.set.contains_key(k))
            })
            .collect();
        outcomes[i].overridden = overridden;
    }
}

fn transform(s: &str, t: TextTransform) -> String {
    match t {
        TextTransform::None => s.to_string(),
        TextTransform::Uppercase => s.to_uppercase(),
        TextTransform::Lowercase => s.to_lowercase(),
        TextTransform::Capitalize => {
            let mut out = String::with_capacity(s.len());
            let mut at_word_start = true;
            for c in s.chars() {
                if at_word_start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    at_word_start = false;
                } else {
                    out.push(c);
                    at_word_start = c.is_whitespace() || c == '-';
                }
            }
            out
        }
    }
}
