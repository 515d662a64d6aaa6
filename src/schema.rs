//! JSON Schema of the template format, generated from the Rust types.
//!
//! Most of the schema comes from `schemars` derives on [`TemplateDoc`]; the
//! element tree and the style object are described here from the same
//! property table the parser uses ([`PROPERTIES`]), so the schema cannot
//! drift from what the parser accepts.

use crate::style::PROPERTIES;
use crate::template::TemplateDoc;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The JSON Schema of a template document, as pretty JSON.
pub fn template_schema_json() -> String {
    pretty(&schemars::schema_for!(TemplateDoc))
}

/// Every schema the project publishes: (file name under `schema/`, JSON).
pub fn all_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("template.schema.json", template_schema_json()),
        (
            "decision.schema.json",
            pretty(&schemars::schema_for!(crate::scene::Decision)),
        ),
        (
            "render-input.schema.json",
            pretty(&schemars::schema_for!(crate::engine::RenderInput)),
        ),
        (
            "theme.schema.json",
            pretty(&schemars::schema_for!(crate::theme::Theme)),
        ),
    ]
}

fn pretty(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_default() + "\n"
}

/// Schema of one CSS property value, from the property table's description.
fn property_schema(name: &str, description: &str) -> Value {
    let mut s = Map::new();
    s.insert("description".into(), Value::from(description));
    let keywords: Vec<&str> = description.split(" | ").map(str::trim).collect();
    let is_keywords = keywords.len() > 1
        && keywords
            .iter()
            .all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    if is_keywords {
        s.insert("enum".into(), Value::from(keywords));
    } else if name == "fitText" {
        return serde_json::json!({
            "description": description, "type": "object", "additionalProperties": false,
            "required": ["min", "max"],
            "properties": { "min": { "type": "number" }, "max": { "type": "number" } }
        });
    } else if matches!(description, "number" | "number 0..1") {
        s.insert("type".into(), Value::from("number"));
    } else if description == "integer" {
        s.insert("type".into(), Value::from(vec!["integer", "string"]));
    } else {
        s.insert("type".into(), Value::from(vec!["number", "string"]));
    }
    Value::Object(s)
}

/// The `style` object.
pub struct StyleSchema;

impl JsonSchema for StyleSchema {
    fn schema_name() -> Cow<'static, str> {
        "Style".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let props: Map<String, Value> = PROPERTIES
            .iter()
            .map(|(name, desc)| (name.to_string(), property_schema(name, desc)))
            .collect();
        json_schema!({
            "description": "CSS properties in camelCase; numbers are px.",
            "type": "object",
            "properties": props,
            "additionalProperties": false
        })
    }
}

/// Per-node overrides: style properties plus `text` and `src`.
pub struct OverrideSchema;

impl JsonSchema for OverrideSchema {
    fn schema_name() -> Cow<'static, str> {
        "Override".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut props: Map<String, Value> = PROPERTIES
            .iter()
            .map(|(name, desc)| (name.to_string(), property_schema(name, desc)))
            .collect();
        props.insert(
            "text".into(),
            serde_json::json!({ "type": "string", "description": "Replace the text." }),
        );
        props.insert(
            "src".into(),
            serde_json::json!({ "type": "string", "description": "Replace the image source." }),
        );
        props.insert(
            "visible".into(),
            serde_json::json!({ "type": "boolean", "description": "Show or hide." }),
        );
        json_schema!({ "type": "object", "properties": props, "additionalProperties": false })
    }
}

/// An element (`{ "type", "props" }`) or a text string.
pub struct NodeSchema;

impl JsonSchema for NodeSchema {
    fn schema_name() -> Cow<'static, str> {
        "Node".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let node = generator.subschema_for::<NodeSchema>();
        let style = generator.subschema_for::<StyleSchema>();
        json_schema!({
            "description": "An element in the shape of satori / @vercel/og, or a text string (may contain {{bindings}}).",
            "anyOf": [
                { "type": "string" },
                { "type": "number" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["type"],
                    "properties": {
                        "type": { "type": "string", "enum": ["div", "span", "p", "img", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer", "main", "article", "a", "button", "strong", "em", "b", "i", "small", "label"] },
                        "key": {},
                        "props": {
                            "type": "object",
                            "additionalProperties": false,
                            "properties": {
                                "id": { "type": "string", "description": "Name used by overrides, rules and reports." },
                                "style": style,
                                "children": { "anyOf": [ node.clone(), { "type": "array", "items": node } ] },
                                "src": { "type": "string", "description": "Image key (img only); may contain {{bindings}}." },
                                "width": { "type": ["number", "string"] },
                                "height": { "type": ["number", "string"] },
                                "alt": { "type": "string" },
                                "className": {}, "tw": {}, "key": {}, "href": {}
                            }
                        }
                    }
                }
            ]
        })
    }
}
