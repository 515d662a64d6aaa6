#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bad input gets a clear error naming the JSON path or the limit — never a
//! panic, a hang or an unbounded allocation.

use adloom::engine::{Engine, RenderInput};
use adloom::Error;
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "name": "t",
        "sizes": [{ "size": "300x250" }],
        "sample": { "data": { "product": { "title": "Umbrella", "price": 9.5 } }, "context": { "weather": "rain" } },
        "root": { "type": "div", "props": { "id": "root", "style": { "display": "flex", "backgroundColor": "#123456" },
            "children": [ { "type": "div", "props": { "id": "headline", "style": { "fontSize": 20 }, "children": ["{{product.title}}"] } } ] } }
    })
}

fn compile_err(template: &Value) -> String {
    let engine = Engine::new();
    match engine.compile(&template.to_string()) {
        Ok(_) => panic!("expected an error for {template}"),
        Err(e) => e.to_string(),
    }
}

/// Set (or add) the value at a JSON pointer.
fn with(mut t: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match t
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"))
    {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set {key} in {other}"),
    }
    t
}

fn render_err(template: &Value, input: RenderInput) -> Error {
    let engine = Engine::new();
    let tpl = engine
        .compile(&template.to_string())
        .expect("template compiles");
    engine.render(&tpl, &input).expect_err("render should fail")
}

#[test]
fn malformed_json() {
    let e = Engine::new()
        .compile("{ \"name\": \"x\", ")
        .unwrap_err()
        .to_string();
    assert!(e.contains("EOF") || e.contains("line"), "{e}");
}

#[test]
fn not_an_object() {
    let e = Engine::new().compile("[1, 2]").unwrap_err().to_string();
    assert!(e.contains("expected"), "{e}");
}

#[test]
fn unknown_top_level_field() {
    let mut t = base();
    t["colour"] = json!("red");
    let e = compile_err(&t);
    assert!(e.contains("colour"), "{e}");
}

#[test]
fn missing_root() {
    let mut t = base();
    t.as_object_mut().unwrap().remove("root");
    assert!(compile_err(&t).contains("root"));
}

#[test]
fn wrong_type_for_name() {
    let e = compile_err(&with(base(), "/name", json!(5)));
    assert!(e.starts_with("name:"), "{e}");
}

#[test]
fn bad_length_names_path() {
    let e = compile_err(&with(
        base(),
        "/root/props/children/0/props/style/fontSize",
        json!("huge"),
    ));
    assert!(
        e.starts_with("root.props.children[0].props.style.fontSize:"),
        "{e}"
    );
    let e = compile_err(&with(
        base(),
        "/root/props/style/backgroundColor",
        json!("#12345z"),
    ));
    assert_eq!(
        e,
        "root.props.style.backgroundColor: expected a colour, got \"#12345z\""
    );
}

#[test]
fn width_wide() {
    let e = compile_err(&with(
        base(),
        "/root/props/children/0/props/style/width",
        json!("wide"),
    ));
    assert_eq!(
        e,
        "root.props.children[0].props.style.width: expected a length, got \"wide\""
    );
}

#[test]
fn unknown_style_property() {
    let e = compile_err(&with(base(), "/root/props/style/fontsize", json!(12)));
    assert!(
        e.contains("unknown style property `fontsize` (did you mean `fontSize`?)"),
        "{e}"
    );
}

#[test]
fn unknown_element_type() {
    let e = compile_err(&with(
        base(),
        "/root/props/children/0/type",
        json!("marquee"),
    ));
    assert!(
        e.starts_with("root.props.children[0].type: unknown element type"),
        "{e}"
    );
}

#[test]
fn unknown_prop() {
    let e = compile_err(&with(base(), "/root/props/onClick", json!("x")));
    assert!(e.starts_with("root.props.onClick: unknown prop"), "{e}");
}

#[test]
fn img_without_src() {
    let e = compile_err(&with(
        base(),
        "/root/props/children/0",
        json!({ "type": "img", "props": { "style": {} } }),
    ));
    assert!(e.starts_with("root.props.children[0].props.src"), "{e}");
}

#[test]
fn duplicate_ids() {
    let e = compile_err(&with(
        base(),
        "/root/props/children/0/props/id",
        json!("root"),
    ));
    assert!(e.contains("duplicate id `root`"), "{e}");
}

#[test]
fn bad_size_string() {
    let e = compile_err(&with(base(), "/sizes/0/size", json!("300by250")));
    assert!(
        e.starts_with("sizes[0].size: expected a size like 300x250"),
        "{e}"
    );
}

#[test]
fn absurd_size() {
    let e = compile_err(&with(base(), "/sizes/0/size", json!("100000x100000")));
    assert!(e.contains("maxCanvasSide"), "{e}");
    let e = compile_err(&with(base(), "/sizes/0/size", json!("4000x4000")));
    assert!(e.contains("maxCanvasPixels"), "{e}");
}

#[test]
fn override_of_unknown_node() {
    let e = compile_err(&with(
        base(),
        "/sizes/0/overrides",
        json!({ "nope": { "fontSize": 3 } }),
    ));
    assert!(
        e.starts_with("sizes[0].overrides.nope: no node has id `nope`"),
        "{e}"
    );
}

#[test]
fn override_with_bad_value() {
    let e = compile_err(&with(
        base(),
        "/sizes/0/overrides",
        json!({ "headline": { "fontSize": "big" } }),
    ));
    assert!(
        e.starts_with("sizes[0].overrides.headline.fontSize:"),
        "{e}"
    );
}

#[test]
fn rule_with_unknown_operator() {
    let mut t = base();
    t["rules"] = json!([{ "id": "r", "when": { "frobnicate": [1] }, "set": {} }]);
    let e = compile_err(&t);
    assert!(e.starts_with("rules[0].when:"), "{e}");
}

#[test]
fn rule_setting_unknown_node() {
    let mut t = base();
    t["rules"] = json!([{ "id": "r", "when": true, "set": { "ghost.text": "boo" } }]);
    let e = compile_err(&t);
    assert!(
        e.starts_with("rules[0].set[\"ghost.text\"]: no node has id `ghost`"),
        "{e}"
    );
}

#[test]
fn rule_key_without_property() {
    let mut t = base();
    t["rules"] = json!([{ "id": "r", "when": true, "set": { "headline": "x" } }]);
    assert!(compile_err(&t).contains("keys are `<nodeId>.<property>`"));
}

#[test]
fn duplicate_rule_ids() {
    let mut t = base();
    t["rules"] =
        json!([{ "id": "r", "when": true, "set": {} }, { "id": "r", "when": false, "set": {} }]);
    assert!(compile_err(&t).starts_with("rules[1].id:"));
}

#[test]
fn runaway_rule_is_bounded() {
    let mut t = base();
    t["rules"] = json!([{ "id": "loop", "when":
        { "some": [ { "var": "data.xs" }, { "some": [ { "var": "data.xs" }, { "some": [ { "var": "data.xs" }, false ] } ] } ] },
        "set": {} }]);
    let xs: Vec<u32> = (0..500).collect();
    let e = render_err(
        &t,
        RenderInput {
            data: Some(json!({ "xs": xs })),
            ..Default::default()
        },
    );
    assert!(
        matches!(
            e,
            Error::Limit {
                limit: "maxRuleSteps",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with("rules[0].when:"), "{e}");
}

#[test]
fn huge_rule_is_rejected() {
    let mut t = base();
    let big: Vec<Value> = (0..2000).map(Value::from).collect();
    t["rules"] = json!([{ "id": "big", "when": { "in": [1, big] }, "set": {} }]);
    assert!(compile_err(&t).contains("maxRuleNodes"));
}

#[test]
fn deep_nesting_is_rejected() {
    let mut node = json!("leaf");
    // 36 elements: past maxDepth (32) but under serde_json's own nesting limit.
    for _ in 0..36 {
        node = json!({ "type": "div", "props": { "children": [node] } });
    }
    let e = compile_err(&with(base(), "/root", node));
    assert!(e.contains("maxDepth"), "{e}");
}

#[test]
fn very_deep_json_does_not_overflow_the_stack() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let text = format!("{{\"name\":\"t\",\"sizes\":[{{\"size\":\"1x1\"}}],\"root\":{deep}}}");
    let e = Engine::new().compile(&text).unwrap_err().to_string();
    assert!(e.contains("recursion limit"), "{e}");
}

#[test]
fn too_many_nodes() {
    let children: Vec<Value> = (0..1200)
        .map(|_| json!({ "type": "div", "props": {} }))
        .collect();
    let e = compile_err(&with(base(), "/root/props/children", json!(children)));
    assert!(e.contains("maxNodes"), "{e}");
}

#[test]
fn huge_text_is_rejected() {
    let long = "word ".repeat(5000);
    let e = render_err(
        &base(),
        RenderInput {
            data: Some(json!({ "product": { "title": long } })),
            ..Default::default()
        },
    );
    assert!(
        matches!(
            e,
            Error::Limit {
                limit: "maxTextLength",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with("root.props.children[0]"), "{e}");
}

#[test]
fn huge_document_is_rejected() {
    let big = "x".repeat(2 << 20);
    let e = Engine::new()
        .compile(&format!("{{\"name\":\"{big}\"}}"))
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Limit {
                limit: "maxDocumentBytes",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn missing_binding_value_names_the_path() {
    let e = render_err(
        &base(),
        RenderInput {
            data: Some(json!({ "product": {} })),
            ..Default::default()
        },
    )
    .to_string();
    assert!(e.starts_with("root.props.children[0]"), "{e}");
    assert!(e.contains("product.title"), "{e}");
}

#[test]
fn unknown_size_lists_sizes() {
    let e = render_err(
        &base(),
        RenderInput {
            size: Some("728x90".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        e.to_string(),
        "size 728x90 is not served by this template; it has 300x250"
    );
}

#[test]
fn data_must_be_an_object() {
    let e = render_err(
        &base(),
        RenderInput {
            data: Some(json!([1, 2])),
            ..Default::default()
        },
    );
    assert_eq!(e.to_string(), "data: expected a JSON object");
}

#[test]
fn missing_image_is_an_error() {
    let t = with(
        base(),
        "/root/props/children/0",
        json!({ "type": "img", "props": { "src": "img/none.png", "style": { "width": 10, "height": 10 } } }),
    );
    let e = render_err(&t, RenderInput::default());
    assert!(
        matches!(&e, Error::Image { key, .. } if key == "img/none.png"),
        "{e}"
    );
}

#[test]
fn corrupt_image() {
    let mut engine = Engine::new();
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2, 3]);
    let e = engine.add_image("img/broken.png", &png).unwrap_err();
    assert!(
        matches!(&e, Error::Image { key, .. } if key == "img/broken.png"),
        "{e}"
    );
    let e = engine
        .add_image("img/text.png", b"hello, not an image")
        .unwrap_err();
    assert!(matches!(e, Error::Image { .. }));
}

#[test]
fn decompression_bomb_is_rejected_before_decoding() {
    // A valid PNG header that claims 60000 x 60000 pixels.
    let mut png = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    png.extend_from_slice(&60_000u32.to_be_bytes());
    png.extend_from_slice(&60_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0]);
    let crc = crc32(&png[12..]);
    png.extend_from_slice(&crc.to_be_bytes());
    let e = Engine::new().add_image("bomb.png", &png).unwrap_err();
    assert!(
        matches!(e, Error::Image { .. } | Error::Limit { .. }),
        "{e}"
    );
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn bad_fonts() {
    let mut engine = Engine::new();
    assert!(matches!(
        engine.add_font(b"not a font at all".to_vec()),
        Err(Error::Font { .. })
    ));
    assert!(matches!(
        engine.add_font(Vec::new()),
        Err(Error::Font { .. })
    ));
    // A truncated real font.
    let faces = Engine::new().faces();
    assert!(!faces.is_empty(), "the embedded fonts load");
    let mut truncated = vec![0, 1, 0, 0, 0, 12, 0, 128, 0, 3, 0, 32];
    truncated.extend_from_slice(&[0u8; 40]);
    assert!(matches!(
        engine.add_font(truncated),
        Err(Error::Font { .. })
    ));
}

#[test]
fn bound_style_value_checked_at_render() {
    let mut t = base();
    t["rules"] = json!([{ "id": "paint", "when": true, "set": { "root.backgroundColor": "{{product.title}}" } }]);
    let e = render_err(&t, RenderInput::default()).to_string();
    assert!(
        e.starts_with("rules[0].set[\"root.backgroundColor\"]: expected a colour"),
        "{e}"
    );
}

#[test]
fn bad_gradient() {
    let e = compile_err(&with(
        base(),
        "/root/props/style/backgroundImage",
        json!("linear-gradient(45deg, red)"),
    ));
    assert!(e.contains("at least two colour stops"), "{e}");
}

#[test]
fn template_limits_only_tighten() {
    let mut t = base();
    t["limits"] = json!({ "maxNodes": 1 });
    assert!(compile_err(&t).contains("maxNodes"));
    let mut t = base();
    t["limits"] = json!({ "maxNodes": 1_000_000, "maxCanvasSide": 100 });
    assert!(compile_err(&t).contains("maxCanvasSide"));
}
