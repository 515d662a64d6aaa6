//! Data bindings: `{{ path | filter:arg … }}` templates inside strings.
//!
//! A template string such as `"Only {{product.price | currency}} in {{context.city}}!"`
//! is parsed once, when the template is compiled, into a [`TextTemplate`];
//! rendering it against a [`Scope`] (the feed row `data` and the request
//! `context`) is then a walk over literal text and [`Binding`]s.
//!
//! * Paths are dotted with optional indexes, `product.images[0]`. A path
//!   starting with `context.` reads the context, `data.` the data, `image.`
//!   facts about the template's images (`image.hero.theme.dominant`), anything
//!   else is shorthand for `data.` (`product.title` reads `data.product.title`).
//! * `\{{` is a literal `{{`. A lone `}}` outside a binding is literal text.
//! * Filters run left to right: `currency[:CODE|:path]`, `number[:decimals]`,
//!   `percent[:decimals]`, `round[:decimals]`, `date[:short|medium|long|weekday|time|daypart]`,
//!   `upper`, `lower`, `capitalize`, `truncate:N`, `default:'text'`. Arguments
//!   are separated by `,` and may be quoted with `'…'` or `"…"`.
//! * `currency` takes a code from, in order: its argument (an upper-case
//!   literal like `EUR` or `'eur'`; anything else is a path), a code inside
//!   the value (`"49.99 USD"`), the `currency` field next to the value
//!   (`product.price` → `product.currency`), `context.currency`, the locale.
//! * Error offsets count characters (Unicode scalar values) from the start.
//! * `upper`/`lower`/`capitalize` use Unicode's locale-independent case
//!   mappings (no Turkish dotted-i rule).
//! * A missing or null value is an error naming the full path, unless a
//!   `default` filter is in the chain (which also replaces an empty string).

use crate::format::{self, CivilDateTime, DateStyle};
use serde_json::Value;
use std::borrow::Cow;

/// Longest template string accepted, in characters (bounds parse work).
pub const MAX_TEMPLATE_CHARS: usize = 10_000;
/// Most bindings accepted in one template string.
pub const MAX_BINDINGS: usize = 100;

const FILTERS: &str =
    "currency, number, percent, round, date, upper, lower, capitalize, truncate, default";

/// Where one value is read from while rendering.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The data object (a product feed row); root of `data.` and unprefixed paths.
    pub data: &'a Value,
    /// The context object (weather, time, locale…); root of `context.` paths.
    pub context: &'a Value,
    /// Facts about the template's images by img node id (`image.hero.theme.dominant`);
    /// root of `image.` paths. `None`: no image facts (those paths are missing).
    pub image: Option<&'a Value>,
}

impl<'a> Scope<'a> {
    /// A scope over `data` and `context`.
    pub fn new(data: &'a Value, context: &'a Value) -> Self {
        Scope {
            data,
            context,
            image: None,
        }
    }

    /// The value at a binding path (`context.city`, `data.x`, or `product.title`
    /// as shorthand for `data.product.title`); `None` if absent.
    pub fn get(&self, path: &str) -> Option<&'a Value> {
        let (root, rest) = split_root(path);
        lookup(
            match root {
                "context" => self.context,
                "image" => self.image?,
                _ => self.data,
            },
            rest,
        )
    }
}

/// Splits a binding path into its root (`data`, `context` or `image`) and the rest.
fn split_root(path: &str) -> (&'static str, &str) {
    for root in ["context", "data", "image"] {
        if let Some(rest) = path.strip_prefix(root) {
            if rest.is_empty() || rest.starts_with('[') {
                return (root, rest);
            }
            if let Some(rest) = rest.strip_prefix('.') {
                return (root, rest);
            }
        }
    }
    ("data", path)
}

/// The path with its root spelled out: `product.title` → `data.product.title`.
pub fn full_path(path: &str) -> String {
    match split_root(path) {
        (root, "") => root.to_string(),
        (root, rest) if rest.starts_with('[') => format!("{root}{rest}"),
        (root, rest) => format!("{root}.{rest}"),
    }
}

/// Follows a dotted path with `[n]` indexes (`images[0].url`; `images.0` also
/// indexes an array) from `root`. The empty path is `root` itself.
pub fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(root);
    }
    let mut cur = root;
    for seg in path.split('.') {
        let (key, mut rest) = seg.split_at(seg.find('[').unwrap_or(seg.len()));
        if !key.is_empty() {
            cur = match cur {
                Value::Object(m) => m.get(key)?,
                Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        } else if rest.is_empty() {
            return None;
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (n, r) = r.split_once(']')?;
            cur = cur.as_array()?.get(n.parse::<usize>().ok()?)?;
            rest = r;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(cur)
}

/// Whether `p` is a well-formed path: keys without spaces or punctuation that
/// the binding syntax uses, each optionally followed by `[digits]`.
fn valid_path(p: &str) -> bool {
    !p.is_empty()
        && p.split('.').enumerate().all(|(i, seg)| {
            let (key, mut rest) = seg.split_at(seg.find('[').unwrap_or(seg.len()));
            if (key.is_empty() && (i > 0 || rest.is_empty()))
                || key
                    .chars()
                    .any(|c| c.is_whitespace() || "[]{}|:,'\"\\".contains(c))
            {
                return false;
            }
            while let Some(r) = rest.strip_prefix('[') {
                match r.split_once(']') {
                    Some((n, r)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                        rest = r
                    }
                    _ => return false,
                }
            }
            rest.is_empty()
        })
}

fn is_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Where `currency` takes its code from when given an argument.
#[derive(Clone, Debug, PartialEq)]
enum CurrencyArg {
    /// A literal ISO 4217 code, upper case.
    Code(String),
    /// A full path to read the code from.
    Path(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Filter {
    Currency(Option<CurrencyArg>),
    Number(Option<u8>),
    Percent(Option<u8>),
    Round(u8),
    Date(DateStyle),
    Upper,
    Lower,
    Capitalize,
    Truncate(usize),
    Default(String),
}

/// Splits `chars` on `sep` outside quotes into trimmed pieces with the
/// character offset (from the template start, `base` being `chars[0]`) of each.
fn split(chars: &[char], base: usize, sep: char) -> Vec<(usize, String)> {
    let (mut out, mut start, mut quote) = (Vec::new(), 0, None);
    for k in 0..=chars.len() {
        match chars.get(k) {
            Some(&c) if quote == Some(c) => quote = None,
            Some(_) if quote.is_some() => {}
            Some(&c) if c == '\'' || c == '"' => quote = Some(c),
            Some(&c) if c != sep => {}
            _ => {
                let piece = chars.get(start..k).unwrap_or_default();
                let lead = piece.iter().take_while(|c| c.is_whitespace()).count();
                out.push((
                    base + start + lead,
                    piece.iter().collect::<String>().trim().to_string(),
                ));
                start = k + 1;
            }
        }
    }
    out
}

/// Strips matching quotes.
fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

impl Filter {
    fn parse(name: &str, at: usize, args: &[(usize, String)]) -> Result<Filter, String> {
        let bad = |(k, a): &(usize, String), want: &str| {
            if a.is_empty() {
                format!("missing argument for `{name}` at offset {k}: expected {want}")
            } else {
                format!("bad argument `{a}` for `{name}` at offset {k}: expected {want}")
            }
        };
        let (max_args, min_args) = match name {
            "upper" | "lower" | "capitalize" => (0, 0),
            "truncate" | "default" => (1, 1),
            _ => (1, 0),
        };
        if let Some((k, _)) = args.get(max_args) {
            return Err(format!("too many arguments for `{name}` at offset {k}"));
        }
        if args.len() < min_args {
            return Err(format!("`{name}` at offset {at} needs an argument"));
        }
        let int = |max: usize, want: &str| -> Result<Option<usize>, String> {
            args.first()
                .map(|a| {
                    unquote(&a.1)
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n <= max)
                        .ok_or_else(|| bad(a, want))
                })
                .transpose()
        };
        let decimals = || int(20, "a number of decimals 0..=20").map(|d| d.map(|d| d as u8));
        Ok(match name {
            "currency" => Filter::Currency(match args.first() {
                None => None,
                Some((_, a)) if a.starts_with(['\'', '"']) && is_code(unquote(a)) => {
                    Some(CurrencyArg::Code(unquote(a).to_ascii_uppercase()))
                }
                Some((_, a)) if is_code(a) && a.bytes().all(|b| b.is_ascii_uppercase()) => {
                    Some(CurrencyArg::Code(a.clone()))
                }
                Some((_, a)) if valid_path(a) => Some(CurrencyArg::Path(full_path(a))),
                Some(a) => return Err(bad(a, "a 3-letter ISO 4217 code or a path")),
            }),
            "number" => Filter::Number(decimals()?),
            "percent" => Filter::Percent(decimals()?),
            "round" => Filter::Round(decimals()?.unwrap_or(0)),
            "date" => Filter::Date(match args.first() {
                None => DateStyle::default(),
                Some(a) => DateStyle::from_name(unquote(&a.1))
                    .ok_or_else(|| bad(a, "short, medium, long, weekday, time or daypart"))?,
            }),
            "upper" => Filter::Upper,
            "lower" => Filter::Lower,
            "capitalize" => Filter::Capitalize,
            "truncate" => match int(MAX_TEMPLATE_CHARS, "a length 1..=10000")? {
                Some(n) if n > 0 => Filter::Truncate(n),
                _ => {
                    return Err(args
                        .first()
                        .map_or_else(String::new, |a| bad(a, "a length 1..=10000")))
                }
            },
            "default" => Filter::Default(
                args.first()
                    .map(|a| unquote(&a.1).to_string())
                    .unwrap_or_default(),
            ),
            "" => return Err(format!("empty filter name at offset {at}")),
            _ => {
                return Err(format!(
                    "unknown filter `{name}` at offset {at} (known: {FILTERS})"
                ))
            }
        })
    }
}

/// One `{{ path | filters }}`, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The path as written, for messages.
    written: String,
    /// The full path (`data.…` or `context.…`).
    path: String,
    filters: Vec<Filter>,
}

impl Binding {
    /// Parses the inside of a `{{ … }}` (e.g. `product.price | currency`);
    /// error offsets count characters from the start of `expr`.
    pub fn parse(expr: &str) -> Result<Binding, String> {
        Self::parse_at(&expr.chars().collect::<Vec<_>>(), 0)
    }

    fn parse_at(inner: &[char], base: usize) -> Result<Binding, String> {
        let mut pieces = split(inner, base, '|').into_iter();
        let (at, written) = pieces.next().unwrap_or((base, String::new()));
        if written.is_empty() {
            return Err(format!("empty path at offset {at}"));
        }
        if !valid_path(&written) {
            return Err(format!("bad path `{written}` at offset {at}"));
        }
        let mut filters = Vec::new();
        for (at, piece) in pieces {
            let chars: Vec<char> = piece.chars().collect();
            let (name, args) = match chars.iter().position(|&c| c == ':') {
                Some(k) => (
                    chars[..k].iter().collect::<String>(),
                    split(&chars[k + 1..], at + k + 1, ','),
                ),
                None => (piece, Vec::new()),
            };
            filters.push(Filter::parse(name.trim_end(), at, &args)?);
        }
        Ok(Binding {
            path: full_path(&written),
            written,
            filters,
        })
    }

    /// The full path it reads (`data.product.title`, `context.city`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// True when it has no filters (its value can be used raw).
    pub fn is_plain(&self) -> bool {
        self.filters.is_empty()
    }

    /// Where an arg-less `currency` looks first: the `currency` field next to the value.
    fn sibling_currency(&self) -> String {
        match self.path.rfind('.') {
            Some(k) => format!("{}.currency", &self.path[..k]),
            None => format!("{}.currency", split_root(&self.path).0),
        }
    }

    /// Every full path this binding may read, in order.
    fn reads(&self) -> Vec<String> {
        let mut out = vec![self.path.clone()];
        for f in &self.filters {
            if let Filter::Currency(arg) = f {
                if let Some(CurrencyArg::Path(p)) = arg {
                    out.push(p.clone());
                }
                out.push(self.sibling_currency());
                out.push("context.currency".into());
            }
        }
        out
    }

    fn err(&self, e: impl std::fmt::Display) -> String {
        format!("{{{{{}}}}}: {e}", self.written)
    }

    fn missing(&self) -> String {
        self.err(format!("no value at {}", self.path))
    }

    /// Runs the filter chain; `None` is a missing value that no `default` replaced.
    fn eval<'a>(&self, scope: &Scope<'a>, locale: &str) -> Result<Option<Cow<'a, Value>>, String> {
        let mut v = scope
            .get(&self.path)
            .filter(|v| !v.is_null())
            .map(Cow::Borrowed);
        for f in &self.filters {
            v = match (f, v) {
                (Filter::Default(t), None) => Some(Cow::Owned(Value::String(t.clone()))),
                (Filter::Default(t), Some(x)) if x.as_str() == Some("") => {
                    Some(Cow::Owned(Value::String(t.clone())))
                }
                (_, None) => None,
                (f, Some(x)) => Some(Cow::Owned(
                    self.apply(f, &x, scope, locale).map_err(|e| self.err(e))?,
                )),
            };
        }
        Ok(v)
    }

    fn render(&self, scope: &Scope, locale: &str) -> Result<String, String> {
        let v = self.eval(scope, locale)?.ok_or_else(|| self.missing())?;
        text(&v).ok_or_else(|| self.err(format!("{} cannot be shown as text", show(&v))))
    }

    fn apply(&self, f: &Filter, x: &Value, scope: &Scope, locale: &str) -> Result<Value, String> {
        let string = |s: String| Ok(Value::String(s));
        let text_of =
            |name: &str| text(x).ok_or_else(|| format!("`{name}` needs text, got {}", show(x)));
        match f {
            Filter::Number(d) => string(format::format_number(number(x, "number")?, *d, locale)),
            Filter::Percent(d) => string(format::format_percent(number(x, "percent")?, *d, locale)),
            Filter::Round(d) => {
                serde_json::Number::from_f64(format::round_decimal(number(x, "round")?, *d))
                    .map(Value::Number)
                    .ok_or_else(|| format!("`round` needs a finite number, got {}", show(x)))
            }
            Filter::Currency(arg) => {
                let (amount, embedded) = money(x)?;
                let mut code = match arg {
                    Some(CurrencyArg::Code(c)) => Some(c.clone()),
                    Some(CurrencyArg::Path(p)) => code_at(scope, p)?,
                    None => None,
                };
                code = code.or(embedded);
                if code.is_none() {
                    code = code_at(scope, &self.sibling_currency())?;
                }
                if code.is_none() {
                    code = code_at(scope, "context.currency")?;
                }
                let code =
                    code.unwrap_or_else(|| format::locale_default_currency(locale).to_string());
                string(format::format_currency(amount, &code, locale))
            }
            Filter::Date(style) => string(format::format_date(date(x)?, *style, locale)),
            Filter::Upper => string(text_of("upper")?.to_uppercase()),
            Filter::Lower => string(text_of("lower")?.to_lowercase()),
            Filter::Capitalize => {
                let s = text_of("capitalize")?;
                let mut chars = s.chars();
                string(
                    chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default(),
                )
            }
            Filter::Truncate(n) => string(truncate(&text_of("truncate")?, *n)),
            Filter::Default(_) => Ok(x.clone()),
        }
    }
}

/// A JSON value for a message, cut short.
fn show(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(40) {
        Some((k, _)) => format!("{}…", &s[..k]),
        None => s,
    }
}

/// The natural text of a scalar: strings as is, integers without `.0`,
/// other numbers in their shortest round-trip form, `true`/`false`.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number from a JSON number or a numeric string (CSV feeds carry strings).
fn number(x: &Value, filter: &str) -> Result<f64, String> {
    let n = match x {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    n.filter(|n| n.is_finite())
        .ok_or_else(|| format!("`{filter}` needs a number, got {}", show(x)))
}

/// An amount, and the code if the string carries one (`49.99 USD`, as in
/// Google Merchant feeds, or `USD 49.99`).
fn money(x: &Value) -> Result<(f64, Option<String>), String> {
    if let Some(s) = x.as_str() {
        let parts: Vec<&str> = s.split_whitespace().collect();
        if let [a, b] = parts.as_slice() {
            let (amount, code) = if is_code(b) { (a, b) } else { (b, a) };
            if let (true, Ok(n)) = (is_code(code), amount.parse::<f64>()) {
                if n.is_finite() {
                    return Ok((n, Some(code.to_ascii_uppercase())));
                }
            }
        }
    }
    Ok((number(x, "currency")?, None))
}

/// A currency code read from the scope; absent, null or "" is `None`.
fn code_at(scope: &Scope, path: &str) -> Result<Option<String>, String> {
    match scope.get(path) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if is_code(s.trim()) => Ok(Some(s.trim().to_ascii_uppercase())),
        Some(v) => Err(format!("bad currency code {} at {path}", show(v))),
    }
}

/// A date from an ISO 8601 string or a Unix timestamp in seconds (UTC).
fn date(x: &Value) -> Result<CivilDateTime, String> {
    let d = match x {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.abs() < 1e15)
                    .map(|f| f.floor() as i64)
            })
            .and_then(CivilDateTime::from_unix),
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(secs) => CivilDateTime::from_unix(secs),
            Err(_) => CivilDateTime::parse_iso(s),
        },
        _ => None,
    };
    d.ok_or_else(|| {
        format!(
            "`date` needs an ISO 8601 date or a Unix timestamp in seconds (years 1..=9999), got {}",
            show(x)
        )
    })
}

/// Marks, joiners, variation selectors and emoji modifiers: characters that
/// attach to the one before, so a cut must not fall just before them.
fn attaches(c: char) -> bool {
    matches!(u32::from(c),
        0x300..=0x36F | 0x483..=0x489 | 0x591..=0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670
        | 0x900..=0x903 | 0x93A..=0x94F | 0x951..=0x957 | 0x962..=0x963 | 0x1AB0..=0x1AFF
        | 0x200C..=0x200D | 0x20D0..=0x20FF | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F)
}

/// At most `n` characters, the last being `…` when cut; never strands a mark.
fn truncate(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= n {
        return s.to_string();
    }
    let mut k = n.saturating_sub(1);
    while k > 0
        && (chars.get(k).is_some_and(|&c| attaches(c)) || chars.get(k - 1) == Some(&'\u{200D}'))
    {
        k -= 1;
    }
    let mut out: String = chars[..k].iter().collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Bind(Binding),
}

/// A string with `{{ … }}` bindings, parsed once at template compile time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TextTemplate {
    parts: Vec<Part>,
    paths: Vec<String>,
}

impl TextTemplate {
    /// Parses a template string. Errors name the problem and its character
    /// offset: unclosed `{{`, unterminated quote, empty or bad path, unknown
    /// filter, bad argument, or a string over [`MAX_TEMPLATE_CHARS`] /
    /// [`MAX_BINDINGS`].
    pub fn parse(src: &str) -> Result<TextTemplate, String> {
        let chars: Vec<char> = src.chars().collect();
        if chars.len() > MAX_TEMPLATE_CHARS {
            return Err(format!(
                "template string is {} characters long; the limit is {MAX_TEMPLATE_CHARS}",
                chars.len()
            ));
        }
        let open = |k: usize| chars.get(k) == Some(&'{') && chars.get(k + 1) == Some(&'{');
        let (mut t, mut text, mut i) = (TextTemplate::default(), String::new(), 0);
        while let Some(&c) = chars.get(i) {
            if c == '\\' && open(i + 1) {
                text.push_str("{{");
                i += 3;
                continue;
            }
            if !open(i) {
                text.push(c);
                i += 1;
                continue;
            }
            let end = close(&chars, i)?;
            if t.bindings().count() == MAX_BINDINGS {
                return Err(format!(
                    "more than {MAX_BINDINGS} bindings (one more at offset {i})"
                ));
            }
            let b = Binding::parse_at(&chars[i + 2..end], i + 2)?;
            for p in b.reads() {
                if !t.paths.contains(&p) {
                    t.paths.push(p);
                }
            }
            if !text.is_empty() {
                t.parts.push(Part::Text(std::mem::take(&mut text)));
            }
            t.parts.push(Part::Bind(b));
            i = end + 2;
        }
        if !text.is_empty() {
            t.parts.push(Part::Text(text));
        }
        Ok(t)
    }

    /// True when there are no bindings (rendering returns the text as is).
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    /// Every full path it may read (`data.product.price`, `context.city`,
    /// and for `currency` the `…currency` sibling and `context.currency`),
    /// deduplicated, in order of appearance.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// Its bindings, in order.
    pub fn bindings(&self) -> impl Iterator<Item = &Binding> {
        self.parts.iter().filter_map(|p| match p {
            Part::Bind(b) => Some(b),
            Part::Text(_) => None,
        })
    }

    /// Renders to text. A missing or null value without `default` is an
    /// error like `{{product.title}}: no value at data.product.title`; so are
    /// arrays/objects and values a filter cannot take.
    pub fn render(&self, scope: &Scope, locale: &str) -> Result<String, String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(s) => out.push_str(s),
                Part::Bind(b) => out.push_str(&b.render(scope, locale)?),
            }
        }
        Ok(out)
    }

    /// Like [`render`](Self::render), but a string that is exactly one
    /// binding without filters (`"{{product.image}}"`) yields the raw JSON
    /// value, so a rule can set a number or colour from data.
    pub fn render_value(&self, scope: &Scope, locale: &str) -> Result<Value, String> {
        if let [Part::Bind(b)] = self.parts.as_slice() {
            if b.is_plain() {
                return scope
                    .get(&b.path)
                    .filter(|v| !v.is_null())
                    .cloned()
                    .ok_or_else(|| b.missing());
            }
        }
        self.render(scope, locale).map(Value::String)
    }
}

/// The index of the `}}` closing the `{{` at `open`, skipping quoted text.
fn close(chars: &[char], open: usize) -> Result<usize, String> {
    let mut quote: Option<(char, usize)> = None;
    for (j, &c) in chars.iter().enumerate().skip(open + 2) {
        match quote {
            Some((q, _)) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some((c, j)),
            None if c == '}' && chars.get(j + 1) == Some(&'}') => return Ok(j),
            None => {}
        }
    }
    Err(match quote {
        Some((_, at)) => {
            format!("unterminated quote at offset {at} in the `{{{{` at offset {open}")
        }
        None => format!("unclosed `{{{{` at offset {open}"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data() -> Value {
        json!({
            "product": {
                "title": "Trail Runner Pro",
                "price": 49.99,
                "currency": "EUR",
                "discount": 0.25,
                "images": ["a.png", "b.png"],
                "subtitle": null,
                "empty": "",
                "stock": 3.0,
                "count": 12,
                "flag": true,
                "tags": ["x"],
                "gprice": "15.00 USD",
                "sprice": "1234.5",
                "launch": "2026-11-23T19:30:00Z",
                "ts": 1_795_462_200,
                "bad_currency": 12,
            },
            "plain": { "price": 10 },
            "rows": [{ "v": 1 }, { "v": 2 }],
            "colour": "#ff0000",
            "size": 24,
        })
    }

    fn ctx() -> Value {
        json!({ "city": "Zürich", "date": "2026-11-23T19:30", "currency": "CHF", "temp": -3.5 })
    }

    fn render(src: &str, locale: &str) -> Result<String, String> {
        let (d, c) = (data(), ctx());
        TextTemplate::parse(src)?.render(&Scope::new(&d, &c), locale)
    }

    fn ok(src: &str, locale: &str) -> String {
        render(src, locale).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn lookup_paths() {
        let d = data();
        assert_eq!(lookup(&d, "product.images[1]"), Some(&json!("b.png")));
        assert_eq!(lookup(&d, "product.images.0"), Some(&json!("a.png")));
        assert_eq!(lookup(&d, "rows[1].v"), Some(&json!(2)));
        assert_eq!(lookup(&d, "product.images[2]"), None);
        assert_eq!(lookup(&d, "product.title.x"), None);
        assert_eq!(lookup(&d, "product..title"), None);
        assert_eq!(lookup(&d, "product.images[x]"), None);
        assert_eq!(lookup(&d, ""), Some(&d));
        let c = ctx();
        let s = Scope::new(&d, &c);
        assert_eq!(s.get("context.city"), Some(&json!("Zürich")));
        assert_eq!(s.get("data.size"), Some(&json!(24)));
        assert_eq!(s.get("size"), Some(&json!(24)));
        assert_eq!(s.get("context"), Some(&c));
        assert_eq!(full_path("product.title"), "data.product.title");
        assert_eq!(full_path("context.city"), "context.city");
        assert_eq!(full_path("data.x"), "data.x");
        assert_eq!(full_path("contextual"), "data.contextual");
        assert_eq!(full_path("data[0]"), "data[0]");
    }

    #[test]
    fn renders() {
        for (src, locale, want) in [
            (
                "Only {{product.price | currency}} in {{context.city}}!",
                "en-US",
                "Only €49.99 in Zürich!",
            ),
            (
                "Only {{product.price | currency}}",
                "de-DE",
                "Only 49,99\u{a0}€",
            ),
            ("{{product.title | upper}}", "en", "TRAIL RUNNER PRO"),
            ("{{product.title | lower}}", "en", "trail runner pro"),
            ("{{ product.discount | percent }} off", "en", "25% off"),
            (
                "{{ product.discount | percent }} off",
                "fr",
                "25\u{202f}% off",
            ),
            ("{{product.discount | percent:1}}", "de", "25,0\u{a0}%"),
            ("{{context.date | date:long}}", "en-GB", "23 November 2026"),
            ("{{context.date | date:long}}", "en-US", "November 23, 2026"),
            ("{{context.date | date}}", "en-US", "Nov 23, 2026"),
            ("{{context.date | date:'weekday'}}", "de", "Montag"),
            (
                "{{context.date | date:weekday | capitalize}}",
                "fr",
                "Lundi",
            ),
            ("{{context.date | date:time}}", "en-US", "7:30\u{a0}PM"),
            ("Good {{context.date | date:daypart}}", "en", "Good evening"),
            ("{{product.launch | date:short}}", "de", "23.11.2026"),
            ("{{product.ts | date:long}}", "ja", "2026年11月23日"),
            (
                "{{product.subtitle | default:'New season'}}",
                "en",
                "New season",
            ),
            (
                "{{product.nope | default:\"New, season\"}}",
                "en",
                "New, season",
            ),
            ("{{product.empty | default:'x'}}", "en", "x"),
            ("{{product.nope | upper | default:'n/a'}}", "en", "n/a"),
            ("{{product.title | default:'x'}}", "en", "Trail Runner Pro"),
            ("{{product.title | truncate:10}}", "en", "Trail Run…"),
            ("{{product.title | truncate:6}}", "en", "Trail…"),
            ("{{product.title | truncate:16}}", "en", "Trail Runner Pro"),
            ("{{product.price}}", "en", "49.99"),
            ("{{product.stock}}", "en", "3"),
            ("{{product.count}}", "de", "12"),
            ("{{product.flag}}", "en", "true"),
            ("{{context.temp}}°", "en", "-3.5°"),
            ("{{context.temp | round}}°", "en", "-4°"),
            ("{{product.price | round}}", "en", "50"),
            ("{{product.price | round:1}}", "en", "50"),
            ("{{product.price | number:1}}", "de", "50,0"),
            ("{{product.sprice | number}}", "de", "1.234,5"),
            ("{{product.sprice | number:2}}", "en-IN", "1,234.50"),
            ("{{product.count | number}}", "en", "12"),
            ("{{product.images[0]}}", "en", "a.png"),
            ("{{data.product.title}}", "en", "Trail Runner Pro"),
            ("{{product.title | capitalize}}", "en", "Trail Runner Pro"),
            ("no bindings", "en", "no bindings"),
            ("", "en", ""),
            ("\\{{literal}} and {{size}}", "en", "{{literal}} and 24"),
            ("a }} b { c", "en", "a }} b { c"),
            ("{{product.title|upper|truncate:5}}", "en", "TRAI…"),
        ] {
            assert_eq!(ok(src, locale), want, "{src} @ {locale}");
        }
    }

    #[test]
    fn currency_code_resolution() {
        // Sibling `currency` next to the value.
        assert_eq!(ok("{{product.price | currency}}", "en-US"), "€49.99");
        // No sibling: context.currency.
        assert_eq!(ok("{{plain.price | currency}}", "en-US"), "CHF\u{a0}10.00");
        // Explicit literal and path arguments.
        assert_eq!(ok("{{product.price | currency:USD}}", "en-US"), "$49.99");
        assert_eq!(ok("{{product.price | currency:'gbp'}}", "en-GB"), "£49.99");
        assert_eq!(
            ok("{{plain.price | currency:product.currency}}", "de"),
            "10,00\u{a0}€"
        );
        // A path argument with no value falls through to the usual chain.
        assert_eq!(
            ok("{{product.price | currency:context.nope}}", "en-US"),
            "€49.99"
        );
        // Code carried by the value itself (Merchant feed style).
        assert_eq!(ok("{{product.gprice | currency}}", "de-DE"), "15,00\u{a0}$");
        // Nothing anywhere: the locale's currency.
        let (d, c) = (json!({"p": 5}), json!({}));
        let s = Scope::new(&d, &c);
        let t = TextTemplate::parse("{{p | currency}}").expect("parses");
        assert_eq!(t.render(&s, "ja-JP").as_deref(), Ok("¥5"));
        assert_eq!(t.render(&s, "pt-BR").as_deref(), Ok("R$\u{a0}5,00"));
        assert_eq!(t.render(&s, "de-CH").as_deref(), Ok("CHF\u{a0}5.00"));
        // A bad code in data is an error naming where.
        let d = json!({"p": {"v": 1, "currency": "dollars"}});
        let t = TextTemplate::parse("{{p.v | currency}}").expect("parses");
        assert_eq!(
            t.render(&Scope::new(&d, &c), "en"),
            Err("{{p.v}}: bad currency code \"dollars\" at data.p.currency".into())
        );
    }

    #[test]
    fn paths_read() {
        let t = TextTemplate::parse("{{product.price | currency}} in {{context.city}} {{context.city}} {{x | currency:context.cur}}").expect("parses");
        assert_eq!(
            t.paths().collect::<Vec<_>>(),
            [
                "data.product.price",
                "data.product.currency",
                "context.currency",
                "context.city",
                "data.x",
                "context.cur",
                "data.currency"
            ]
        );
        assert!(!t.is_literal());
        assert!(TextTemplate::parse("just \\{{text}}")
            .expect("parses")
            .is_literal());
        assert_eq!(
            t.bindings().map(Binding::path).collect::<Vec<_>>(),
            [
                "data.product.price",
                "context.city",
                "context.city",
                "data.x"
            ]
        );
    }

    #[test]
    fn render_value_raw() {
        let (d, c) = (data(), ctx());
        let s = Scope::new(&d, &c);
        let v = |src: &str| {
            TextTemplate::parse(src)
                .expect("parses")
                .render_value(&s, "en")
        };
        assert_eq!(v("{{size}}"), Ok(json!(24)));
        assert_eq!(v("{{ data.product.flag }}"), Ok(json!(true)));
        assert_eq!(v("{{colour}}"), Ok(json!("#ff0000")));
        assert_eq!(v("{{product.images}}"), Ok(json!(["a.png", "b.png"])));
        assert_eq!(v("{{size | round}}"), Ok(json!("24")));
        assert_eq!(v("{{size}}px"), Ok(json!("24px")));
        assert_eq!(v("plain"), Ok(json!("plain")));
        assert_eq!(v("{{nope}}"), Err("{{nope}}: no value at data.nope".into()));
    }

    #[test]
    fn render_errors() {
        for (src, want) in [
            ("{{product.title}}{{product.nope}}", "{{product.nope}}: no value at data.product.nope"),
            ("{{product.subtitle}}", "{{product.subtitle}}: no value at data.product.subtitle"),
            ("{{context.weather.temp}}", "{{context.weather.temp}}: no value at context.weather.temp"),
            ("{{product.nope | upper}}", "{{product.nope}}: no value at data.product.nope"),
            ("{{product.images}}", "{{product.images}}: [\"a.png\",\"b.png\"] cannot be shown as text"),
            ("{{product.title | currency}}", "{{product.title}}: `currency` needs a number, got \"Trail Runner Pro\""),
            ("{{product.flag | number}}", "{{product.flag}}: `number` needs a number, got true"),
            ("{{product.tags | upper}}", "{{product.tags}}: `upper` needs text, got [\"x\"]"),
            ("{{product.title | date}}", "{{product.title}}: `date` needs an ISO 8601 date or a Unix timestamp in seconds (years 1..=9999), got \"Trail Runner Pro\""),
        ] {
            assert_eq!(render(src, "en"), Err(want.to_string()), "{src}");
        }
    }

    #[test]
    fn parse_errors_name_offsets() {
        for (src, want) in [
            ("Hi {{product.title", "unclosed `{{` at offset 3"),
            ("Hi {{ x | default:'oops }}", "unterminated quote at offset 18 in the `{{` at offset 3"),
            ("ab{{}}", "empty path at offset 4"),
            ("ab{{  | upper}}", "empty path at offset 6"),
            ("{{ product title }}", "bad path `product title` at offset 3"),
            ("{{a..b}}", "bad path `a..b` at offset 2"),
            ("{{a[x]}}", "bad path `a[x]` at offset 2"),
            ("{{x | shout}}", "unknown filter `shout` at offset 6 (known: currency, number, percent, round, date, upper, lower, capitalize, truncate, default)"),
            ("{{x | }}", "empty filter name at offset 6"),
            ("{{x | truncate:abc}}", "bad argument `abc` for `truncate` at offset 15: expected a length 1..=10000"),
            ("{{x | truncate:0}}", "bad argument `0` for `truncate` at offset 15: expected a length 1..=10000"),
            ("{{x | truncate}}", "`truncate` at offset 6 needs an argument"),
            ("{{x | truncate:}}", "missing argument for `truncate` at offset 15: expected a length 1..=10000"),
            ("{{x | number:99}}", "bad argument `99` for `number` at offset 13: expected a number of decimals 0..=20"),
            ("{{x | date:fancy}}", "bad argument `fancy` for `date` at offset 11: expected short, medium, long, weekday, time or daypart"),
            ("{{x | currency:'EURO'}}", "bad argument `'EURO'` for `currency` at offset 15: expected a 3-letter ISO 4217 code or a path"),
            ("{{x | upper:1}}", "too many arguments for `upper` at offset 12"),
            ("{{x | round:1,2}}", "too many arguments for `round` at offset 14"),
            ("é{{x | nope}}", "unknown filter `nope` at offset 7 (known: currency, number, percent, round, date, upper, lower, capitalize, truncate, default)"),
        ] {
            assert_eq!(TextTemplate::parse(src), Err(want.to_string()), "{src}");
        }
        assert_eq!(
            Binding::parse(" x | bogus").map(|_| ()),
            Err(format!(
                "unknown filter `bogus` at offset 5 (known: {FILTERS})"
            ))
        );
        assert!(Binding::parse("product.price | currency:EUR").is_ok());
    }

    #[test]
    fn limits() {
        assert!(TextTemplate::parse(&"a".repeat(MAX_TEMPLATE_CHARS)).is_ok());
        assert_eq!(
            TextTemplate::parse(&"é".repeat(MAX_TEMPLATE_CHARS + 1)),
            Err("template string is 10001 characters long; the limit is 10000".into())
        );
        assert!(TextTemplate::parse(&"{{x}}".repeat(MAX_BINDINGS)).is_ok());
        assert_eq!(
            TextTemplate::parse(&"{{x}}".repeat(MAX_BINDINGS + 1)),
            Err("more than 100 bindings (one more at offset 500)".into())
        );
    }

    #[test]
    fn truncation_keeps_clusters() {
        assert_eq!(truncate("héllo world", 5), "héll…");
        assert_eq!(truncate("he\u{301}llo", 3), "h…");
        assert_eq!(truncate("ab👍🏽cd", 4), "ab…");
        assert_eq!(truncate("a b", 2), "a…");
        assert_eq!(truncate("abc", 1), "…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
