#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `adloom learn` and `adloom plan --outcomes`: events in, state file out,
//! allocation in the decision.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn adloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_adloom"))
}

/// Runs `cmd` and checks that it succeeded, showing its stderr if not.
fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retail-weather/template.json")
}

fn events(lines: &[Value]) -> String {
    lines.iter().map(|l| l.to_string() + "\n").collect()
}

#[test]
fn learn_round_trip_into_plan() {
    let dir = scratch("learn-round-trip");
    let state = dir.join("state.json");
    let seg = "clouds|afternoon";
    let arm = "headline=weather,cta=range";
    let first = dir.join("events1.jsonl");
    std::fs::write(
        &first,
        events(&[
            json!({ "template": "retail-weather", "variant": arm, "segment": seg, "type": "impression", "count": 1500 }),
            json!({ "template": "retail-weather", "variant": arm, "segment": seg, "type": "click", "count": 60 }),
            json!({ "template": "retail-weather", "variant": "headline=weather,cta=shop", "segment": seg, "type": "impression", "count": 1500 }),
            json!({ "template": "retail-weather", "variant": "headline=weather,cta=shop", "segment": seg, "type": "click", "count": 15 }),
            json!({ "template": "retail-weather", "variant": "headline=forecast,cta=shop", "segment": seg, "type": "impression", "count": 1200 }),
            json!({ "template": "retail-weather", "variant": "headline=forecast,cta=shop", "segment": seg, "type": "click", "count": 20 }),
            json!({ "template": "retail-weather", "variant": "headline=forecast,cta=range", "segment": seg, "type": "impression", "count": 1000 }),
            json!({ "template": "retail-weather", "variant": "headline=forecast,cta=range", "segment": seg, "type": "click", "count": 18 }),
            json!({ "template": "other", "variant": "a=b", "type": "impression" }),
        ]),
    )
    .unwrap();
    run_ok(
        adloom()
            .args(["learn", "--state"])
            .arg(&state)
            .arg("--events")
            .arg(&first),
    );
    // Learning twice adds up.
    let second = dir.join("events2.jsonl");
    std::fs::write(
        &second,
        events(&[json!({ "template": "retail-weather", "variant": arm, "segment": seg, "type": "conversion", "count": 6 })]),
    )
    .unwrap();
    let out = run_ok(
        adloom()
            .args(["learn", "--state"])
            .arg(&state)
            .arg("--events")
            .arg(&second),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("retail-weather  headline=weather,cta=range: 1500 impressions, 60 clicks, 6 conversions"), "{stdout}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let a = &saved["templates"]["retail-weather"]["arms"][arm];
    assert_eq!(a["impressions"], 1500);
    assert_eq!(a["clicks"], 60);
    assert_eq!(a["conversions"], 6);
    assert_eq!(a["segments"][seg]["clicks"], 60);
    assert_eq!(saved["templates"]["other"]["arms"]["a=b"]["impressions"], 1);
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    // The state drives the plan: 5200 impressions ≥ minImpressions 1000 in
    // this segment, so its posteriors decide, and the better arm dominates.
    let context = dir.join("context.json");
    std::fs::write(
        &context,
        json!({ "weather": "clouds", "daypart": "afternoon", "hour": 14, "temp": 15, "city": "Leeds", "viewerId": "v-9" }).to_string(),
    )
    .unwrap();
    let out = run_ok(
        adloom()
            .arg("plan")
            .arg(template())
            .arg("--context")
            .arg(&context)
            .arg("--outcomes")
            .arg(&state),
    );
    let decision: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &decision["variant"];
    assert_eq!(v["segment"], seg);
    assert_eq!(v["basis"], "segment");
    let line = v["allocation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == arm)
        .unwrap();
    assert_eq!(line["impressions"], 1500);
    assert_eq!(line["successes"], 60);
    assert!(line["share"].as_f64().unwrap() > 0.6, "{line}");
    let mean = line["posteriorMean"].as_f64().unwrap();
    assert!((mean - 61.0 / 1502.0).abs() < 1e-5);
}

#[test]
fn learn_rejects_bad_events_and_keeps_the_state() {
    let dir = scratch("learn-bad");
    let state = dir.join("state.json");
    let good = json!({ "templates": { "t": { "arms": { "a=b": { "impressions": 5 } } } } });
    std::fs::write(&state, good.to_string()).unwrap();
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        events(&[
            json!({ "template": "t", "variant": "a=b", "type": "impression" }),
            json!({ "template": "t", "variant": "a=b", "type": "click", "count": -1 }),
        ]),
    )
    .unwrap();
    let out = adloom()
        .args(["learn", "--state"])
        .arg(&state)
        .arg("--events")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("events line 2: count"), "{err}");
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(kept, good);
    // A bare outcomes file with a bad field names its path.
    let outcomes = dir.join("outcomes.json");
    std::fs::write(&outcomes, r#"{"arms":{"x":{"impressions":10,"click":2}}}"#).unwrap();
    let out = adloom()
        .arg("plan")
        .arg(template())
        .arg("--outcomes")
        .arg(&outcomes)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("outcomes.arms.x.click: unknown field `click`"),
        "{err}"
    );
}

#[test]
fn simulate_writes_a_chart_and_report() {
    let dir = scratch("simulate");
    let png = dir.join("regret.png");
    let report = dir.join("report.json");
    let out = run_ok(
        adloom()
            .args(["simulate", "--seed", "3", "--rounds", "4000", "--out"])
            .arg(&png)
            .arg("--json")
            .arg(&report),
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["rounds"], 4000);
    assert_eq!(r["seed"], 3);
    assert!(r["curve"].as_array().unwrap().len() > 100);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("cumulative regret Thompson"), "{stdout}");
}
