#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The committed JSON Schemas match the Rust types, and the bundled examples
//! validate against the parser (the schema's source of truth).

use std::path::Path;

#[test]
fn committed_schemas_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let update = std::env::var_os("ADLOOM_UPDATE_SCHEMA").is_some();
    for (file, json) in adloom::schema::all_schemas() {
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == json,
            "schema/{file} is stale: run `ADLOOM_UPDATE_SCHEMA=1 cargo test --test schema` and `node scripts/gen-types.mjs`"
        );
    }
}

#[test]
fn template_schema_describes_every_style_property() {
    let schema: serde_json::Value =
        serde_json::from_str(&adloom::schema::template_schema_json()).unwrap();
    let style = &schema["$defs"]["Style"]["properties"];
    for (name, _) in adloom::style::PROPERTIES {
        assert!(style.get(*name).is_some(), "Style schema lacks {name}");
    }
    assert_eq!(schema["$defs"]["Style"]["additionalProperties"], false);
}
