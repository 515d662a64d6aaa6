//! `adloom` — render, plan and batch-produce creatives from the command line.

use adloom::bandit::{Beta, Outcomes, State};
use adloom::encode::Format;
use adloom::engine::{parse_object, Engine, RenderInput};
use adloom::simulate::{Scenario, SimOptions};
use adloom::template::Template;
use adloom::Error;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

#[derive(Parser)]
#[command(
    name = "adloom",
    version,
    about = "Personalized ad creatives from one template"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What one creative is made of: the arguments `render` and `plan` share.
#[derive(clap::Args)]
struct Inputs {
    /// Template JSON file.
    template: PathBuf,
    /// Data JSON file, or `-` for the template's sample data.
    #[arg(long, default_value = "-")]
    data: String,
    /// Context JSON file, or `-` for the template's sample context.
    #[arg(long, default_value = "-")]
    context: String,
    /// Size as WxH (default: the template's first size).
    #[arg(long)]
    size: Option<String>,
    /// Outcomes for Thompson-sampling allocation: a `learn` state file (the
    /// template's entry is used) or a bare `{"arms": …}` document.
    #[arg(long)]
    outcomes: Option<PathBuf>,
    /// Show this variant id (or `control`) instead of bucketing.
    #[arg(long)]
    variant: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Render one creative.
    Render {
        #[command(flatten)]
        inputs: Inputs,
        /// png, jpeg or webp (default: from the output extension, else png).
        #[arg(long)]
        format: Option<Format>,
        /// JPEG quality 1-100.
        #[arg(long)]
        quality: Option<u8>,
        /// Output file.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Print the decision (rules, key, assets, guardrail report, score) as
    /// JSON. Loads the images the plan needs from the template's folder,
    /// then lays out and paints (without encoding) to run every guardrail
    /// check and the score; `--no-paint` prints the plan-only report.
    Plan {
        #[command(flatten)]
        inputs: Inputs,
        /// Candidates to choose from: a JSON file with
        /// `[{"id": "...", "set": {"<nodeId>.<property>": value}}, ...]`.
        #[arg(long)]
        candidates: Option<PathBuf>,
        /// Stop after the plan: scene-only guardrail checks, no score.
        #[arg(long)]
        no_paint: bool,
    },
    /// Render every feed row × context × size, in parallel.
    Batch {
        /// Template JSON file.
        template: PathBuf,
        /// Product feed: .csv (dotted headers nest) or .jsonl.
        #[arg(long)]
        feed: PathBuf,
        /// Contexts, one JSON object per line (default: the sample context).
        #[arg(long)]
        contexts: Option<PathBuf>,
        /// `all` or a comma-separated list of WxH.
        #[arg(long, default_value = "all")]
        sizes: String,
        /// png, jpeg or webp.
        #[arg(long, default_value = "png")]
        format: Format,
        /// JPEG quality 1-100.
        #[arg(long)]
        quality: Option<u8>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Fold outcome events (JSON lines) into a learning state file, atomically.
    Learn {
        /// State file (created when missing): `{"templates": {name: {"arms": …}}}`.
        #[arg(long)]
        state: PathBuf,
        /// Events, one JSON object per line: `{"template","variant","segment"?,"type","count"?}`; `-` reads stdin.
        #[arg(long)]
        events: String,
    },
    /// Simulate the feedback loop with known click rates: regret of Thompson
    /// sampling against a fixed uniform split, as JSON and a PNG chart.
    Simulate {
        /// PRNG seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Impressions to simulate.
        #[arg(long, default_value_t = 20_000)]
        rounds: u64,
        /// Impressions between state updates (allocation refreshes).
        #[arg(long, default_value_t = 100)]
        batch: u64,
        /// The chart (PNG).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The full report (JSON).
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Render the bundled examples for contrasting contexts in every size.
    Demo {
        /// Output folder.
        #[arg(long, default_value = "demo-out")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render {
            inputs,
            format,
            quality,
            out,
        } => render(&inputs, format, quality, &out),
        Command::Plan {
            inputs,
            candidates,
            no_paint,
        } => plan(&inputs, candidates.as_deref(), no_paint),
        Command::Batch {
            template,
            feed,
            contexts,
            sizes,
            format,
            quality,
            out,
        } => batch(
            &template,
            &feed,
            contexts.as_deref(),
            &sizes,
            format,
            quality,
            &out,
        ),
        Command::Demo { out } => demo(&out),
        Command::Learn { state, events } => learn(&state, &events),
        Command::Simulate {
            seed,
            rounds,
            batch,
            out,
            json,
        } => simulate(seed, rounds, batch, out.as_deref(), json.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("adloom: {message}");
            ExitCode::FAILURE
        }
    }
}

type CliResult<T = ()> = Result<T, String>;

fn read_text(path: &Path) -> CliResult<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn load_template(engine: &Engine, path: &Path) -> CliResult<Template> {
    let text = read_text(path)?;
    engine
        .compile(&text)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn optional_object(engine: &Engine, arg: &str, name: &str) -> CliResult<Option<Value>> {
    if arg == "-" {
        return Ok(None);
    }
    let text = read_text(Path::new(arg))?;
    parse_object(name, &text, engine.limits())
        .map(Some)
        .map_err(|e| format!("{arg}: {e}"))
}

/// Load the images a decision needs from files next to the template.
fn load_images(engine: &mut Engine, base: &Path, keys: &[String]) -> CliResult {
    for key in keys {
        if engine.has_image(key) {
            continue;
        }
        if key.contains("://") {
            return Err(format!("image `{key}`: the CLI loads local files only"));
        }
        let path = base.join(key);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("image `{key}` ({}): {e}", path.display()))?;
        engine.add_image(key, &bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn base_dir(template: &Path) -> PathBuf {
    template.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The render input the shared arguments describe.
fn render_input(engine: &Engine, template: &Template, inputs: &Inputs) -> CliResult<RenderInput> {
    let outcomes = match &inputs.outcomes {
        Some(path) => Some(read_outcomes(path, template.name())?),
        None => None,
    };
    Ok(RenderInput {
        data: optional_object(engine, &inputs.data, "data")?,
        context: optional_object(engine, &inputs.context, "context")?,
        size: inputs.size.clone(),
        outcomes,
        variant: inputs.variant.clone(),
        ..RenderInput::default()
    })
}

/// Outcomes from a `learn` state file (this template's entry; none yet is
/// empty) or a bare `{"arms": …}` document.
fn read_outcomes(path: &Path, template: &str) -> CliResult<Outcomes> {
    let text = read_text(path)?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not valid JSON: {e}", path.display()))?;
    let fail = |e: Error| format!("{}: {e}", path.display());
    if value.get("templates").is_some() {
        let state: State = serde_json::from_value(value)
            .map_err(|e| format!("{}: not a learn state file: {e}", path.display()))?;
        let outcomes = state.templates.get(template).cloned().unwrap_or_default();
        outcomes.validate("outcomes").map_err(fail)?;
        Ok(outcomes)
    } else {
        Outcomes::parse("outcomes", &text).map_err(fail)
    }
}

/// `adloom learn`: read the state, apply the events (all or nothing), write
/// the state to a temporary file beside it and rename it into place, so a
/// crash never leaves a half-written state.
fn learn(state_path: &Path, events: &str) -> CliResult {
    let mut state = if state_path.exists() {
        let text = read_text(state_path)?;
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize::<_, State>(&mut de)
            .map_err(|e| format!("{}: {}: {}", state_path.display(), e.path(), e.inner()))?
    } else {
        State::default()
    };
    let events_text = if events == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        s
    } else {
        read_text(Path::new(events))?
    };
    let applied = state
        .apply_events(&events_text)
        .map_err(|e| format!("{events}: {e}"))?;
    let json = serde_json::to_string_pretty(&state).map_err(|e| e.to_string())? + "\n";
    let file_name = state_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "state.json".into());
    let tmp = state_path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, json).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, state_path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", state_path.display())
    })?;
    eprintln!("applied {applied} events to {}", state_path.display());
    for (name, outcomes) in &state.templates {
        for (arm, o) in &outcomes.arms {
            let p = Beta::posterior(o.clicks, o.impressions);
            let (lo, hi) = p.credible_interval_95();
            println!(
                "{name}  {arm}: {} impressions, {} clicks, {} conversions; CTR posterior mean {:.4} (95% CI {:.4}–{:.4})",
                o.impressions, o.clicks, o.conversions, p.mean(), lo, hi
            );
        }
    }
    Ok(())
}

/// `adloom simulate`: the seeded simulator and its regret chart.
fn simulate(
    seed: u64,
    rounds: u64,
    batch: u64,
    out: Option<&Path>,
    json_out: Option<&Path>,
) -> CliResult {
    let options = SimOptions {
        seed,
        rounds,
        batch,
        ..SimOptions::default()
    };
    let report =
        adloom::simulate::run(&Scenario::default(), &options).map_err(|e| e.to_string())?;
    println!("{}", report.summary());
    if let Some(path) = json_out {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = out {
        let engine = Engine::new();
        let png = adloom::simulate::regret_chart(&engine, &report).map_err(|e| e.to_string())?;
        std::fs::write(path, &png).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {} ({} bytes)", path.display(), png.len());
    }
    Ok(())
}

fn render(inputs: &Inputs, format: Option<Format>, quality: Option<u8>, out: &Path) -> CliResult {
    let mut engine = Engine::new();
    let template_path = inputs.template.as_path();
    let template = load_template(&engine, template_path)?;
    let format = format.or_else(|| {
        out.extension()
            .and_then(|e| e.to_str())
            .and_then(|e| e.parse().ok())
    });
    let input = RenderInput {
        format,
        quality,
        ..render_input(&engine, &template, inputs)?
    };
    let mut plan = engine.plan(&template, &input).map_err(|e| e.to_string())?;
    load_images(
        &mut engine,
        &base_dir(template_path),
        &plan.decision.assets.images,
    )?;
    // Image themes or candidates read pixels: plan again with them loaded.
    if !plan.decision.pending_images.is_empty() || input.candidates.is_some() {
        plan = engine.plan(&template, &input).map_err(|e| e.to_string())?;
    }
    let rendered = engine
        .render_plan(plan, &input)
        .map_err(|e| e.to_string())?;
    std::fs::write(out, &rendered.bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "wrote {} ({}x{}, {} bytes, key {}, rules fired: {}{})",
        out.display(),
        rendered.width,
        rendered.height,
        rendered.bytes.len(),
        rendered.decision.key,
        if rendered.decision.fired.is_empty() {
            "none".to_string()
        } else {
            rendered.decision.fired.join(", ")
        },
        rendered
            .decision
            .variant
            .as_ref()
            .map(|v| format!(", variant {} (bucket {})", v.id, v.bucket))
            .unwrap_or_default()
    );
    Ok(())
}

fn plan(inputs: &Inputs, candidates: Option<&Path>, no_paint: bool) -> CliResult {
    let mut engine = Engine::new();
    let template = load_template(&engine, &inputs.template)?;
    let mut input = render_input(&engine, &template, inputs)?;
    if let Some(path) = candidates {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let list = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        input.candidates = Some(list);
    }
    let mut plan = engine.plan(&template, &input).map_err(|e| e.to_string())?;
    if !no_paint {
        // Two-phase: load what the plan asked for, then plan again so image
        // themes and candidate scores use the real pixels.
        load_images(
            &mut engine,
            &base_dir(&inputs.template),
            &plan.decision.assets.images,
        )?;
        plan = engine.plan(&template, &input).map_err(|e| e.to_string())?;
        if plan.decision.score.is_none() {
            engine.analyze(&mut plan).map_err(|e| e.to_string())?;
        }
    }
    let text = serde_json::to_string_pretty(&plan.decision).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

/// A CSV cell as JSON: numbers and booleans keep their type, so formatters work.
fn csv_value(cell: &str) -> Value {
    let t = cell.trim();
    if t == "true" || t == "false" {
        return Value::Bool(t == "true");
    }
    let numeric = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if numeric && !(t.len() > 1 && t.starts_with('0') && !t.starts_with("0.")) {
        if let Ok(i) = t.parse::<i64>() {
            return Value::from(i);
        }
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(cell.to_string())
}

/// Set `a.b.c` inside a JSON object, creating objects on the way.
fn set_dotted(root: &mut Map<String, Value>, dotted: &str, value: Value) {
    let mut parts = dotted.split('.').peekable();
    let mut cur = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            cur.insert(part.to_string(), value);
            return;
        }
        let entry = cur
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        match entry {
            Value::Object(m) => cur = m,
            _ => return,
        }
    }
}

/// Feed rows: Ok(row) or Err(reason) per line, so bad rows are reported, not fatal.
fn read_feed(path: &Path) -> CliResult<Vec<Result<Value, String>>> {
    let text = read_text(path)?;
    let is_csv = path.extension().and_then(|e| e.to_str()) == Some("csv");
    if !is_csv {
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| match serde_json::from_str::<Value>(l) {
                Ok(v @ Value::Object(_)) => Ok(v),
                Ok(_) => Err(format!("line {}: expected a JSON object", i + 1)),
                Err(e) => Err(format!("line {}: {e}", i + 1)),
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    Ok(reader
        .records()
        .enumerate()
        .map(|(i, rec)| {
            let rec = rec.map_err(|e| format!("row {}: {e}", i + 1))?;
            let mut obj = Map::new();
            for (h, cell) in headers.iter().zip(rec.iter()) {
                if !cell.is_empty() {
                    set_dotted(&mut obj, h, csv_value(cell));
                }
            }
            Ok(Value::Object(obj))
        })
        .collect())
}

fn read_contexts(path: Option<&Path>) -> CliResult<Vec<Option<Value>>> {
    let Some(path) = path else {
        return Ok(vec![None]);
    };
    let text = read_text(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| match serde_json::from_str::<Value>(l) {
            Ok(v @ Value::Object(_)) => Ok(Some(v)),
            Ok(_) => Err(format!(
                "{} line {}: expected a JSON object",
                path.display(),
                i + 1
            )),
            Err(e) => Err(format!("{} line {}: {e}", path.display(), i + 1)),
        })
        .collect()
}

fn context_label(context: &Option<Value>, index: usize) -> String {
    let label = context
        .as_ref()
        .and_then(|c| c.get("label"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("context{index}"));
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

struct Job {
    row: usize,
    context_index: usize,
    size: String,
    input: RenderInput,
}

#[allow(clippy::too_many_arguments)]
fn batch(
    template_path: &Path,
    feed: &Path,
    contexts: Option<&Path>,
    sizes: &str,
    format: Format,
    quality: Option<u8>,
    out: &Path,
) -> CliResult {
    let mut engine = Engine::new();
    let template = load_template(&engine, template_path)?;
    let rows = read_feed(feed)?;
    let contexts = read_contexts(contexts)?;
    let sizes: Vec<String> = if sizes == "all" {
        template.sizes.iter().map(|s| s.name()).collect()
    } else {
        let list: Vec<String> = sizes.split(',').map(|s| s.trim().to_string()).collect();
        for s in &list {
            template.size(s).map_err(|e| e.to_string())?;
        }
        list
    };
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;

    // Plan everything first (cheap), collecting the images to load and the
    // distinct decision keys: identical decisions are rendered once.
    let mut manifest: Vec<Value> = Vec::new();
    let mut jobs = Vec::new();
    let mut bad_rows = 0usize;
    for (row, data) in rows.into_iter().enumerate() {
        let data = match data {
            Ok(d) => d,
            Err(reason) => {
                bad_rows += 1;
                eprintln!("adloom: skipping feed row {}: {reason}", row + 1);
                manifest.push(json!({ "row": row + 1, "error": reason }));
                continue;
            }
        };
        for (ci, context) in contexts.iter().enumerate() {
            for size in &sizes {
                jobs.push(Job {
                    row: row + 1,
                    context_index: ci,
                    size: size.clone(),
                    input: RenderInput {
                        data: Some(data.clone()),
                        context: context.clone(),
                        size: Some(size.clone()),
                        format: Some(format),
                        quality,
                        ..RenderInput::default()
                    },
                });
            }
        }
    }
    let plans: Vec<Result<adloom::engine::Plan, Error>> = jobs
        .par_iter()
        .map(|j| engine.plan(&template, &j.input))
        .collect();
    let mut images: Vec<String> = Vec::new();
    for p in plans.iter().flatten() {
        for key in &p.decision.assets.images {
            if !images.contains(key) {
                images.push(key.clone());
            }
        }
    }
    let base = base_dir(template_path);
    let mut image_errors: HashMap<String, String> = HashMap::new();
    for key in &images {
        if let Err(e) = load_images(&mut engine, &base, std::slice::from_ref(key)) {
            image_errors.insert(key.clone(), e);
        }
    }
    let mut unique: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        if let Ok(p) = p {
            unique.entry(p.decision.key.clone()).or_insert(i);
        }
    }
    let bar = ProgressBar::new(unique.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40.cyan/blue} {pos}/{len} creatives {elapsed_precise} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let engine = &engine;
    let rendered: HashMap<String, Result<String, String>> = unique
        .par_iter()
        .map(|(key, &job_index)| {
            let job = &jobs[job_index];
            let result = (|| {
                let plan = plans[job_index].as_ref().map_err(|e| e.to_string())?;
                if let Some(missing) = plan
                    .decision
                    .assets
                    .images
                    .iter()
                    .find_map(|k| image_errors.get(k))
                {
                    return Err(missing.clone());
                }
                // Reuse the plan made above instead of evaluating again.
                let r = engine
                    .render_plan(plan.clone(), &job.input)
                    .map_err(|e| e.to_string())?;
                let dir = out.join(&job.size);
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                let file = format!("{}/{}.{}", job.size, key, format.extension());
                std::fs::write(out.join(&file), &r.bytes).map_err(|e| e.to_string())?;
                Ok(file)
            })();
            bar.inc(1);
            (key.clone(), result)
        })
        .collect();
    bar.finish_and_clear();

    let mut failed = 0usize;
    for (job, plan) in jobs.iter().zip(&plans) {
        let ctx = context_label(&job.input.context, job.context_index);
        let entry = match plan {
            Err(e) => {
                failed += 1;
                json!({ "row": job.row, "context": ctx, "size": job.size, "error": e.to_string() })
            }
            Ok(p) => match rendered.get(&p.decision.key) {
                Some(Ok(file)) => {
                    let mut entry = json!({
                        "file": file, "row": job.row, "context": ctx, "size": job.size,
                        "key": p.decision.key, "rules": p.decision.fired
                    });
                    if let (Some(v), Some(m)) = (&p.decision.variant, entry.as_object_mut()) {
                        m.insert("variant".into(), Value::from(v.id.clone()));
                    }
                    entry
                }
                Some(Err(e)) => {
                    failed += 1;
                    json!({ "row": job.row, "context": ctx, "size": job.size, "key": p.decision.key, "error": e })
                }
                None => {
                    json!({ "row": job.row, "context": ctx, "size": job.size, "error": "not rendered" })
                }
            },
        };
        manifest.push(entry);
    }
    let mut f = std::fs::File::create(out.join("manifest.jsonl")).map_err(|e| e.to_string())?;
    for m in &manifest {
        writeln!(f, "{m}").map_err(|e| e.to_string())?;
    }
    let ok_files = rendered.values().filter(|r| r.is_ok()).count();
    eprintln!(
        "{} jobs, {} distinct creatives written to {}, {} failed, {} bad feed rows; manifest: {}",
        jobs.len(),
        ok_files,
        out.display(),
        failed,
        bad_rows,
        out.join("manifest.jsonl").display()
    );
    Ok(())
}

/// The bundled examples: (name, template text, contexts, images).
fn bundled_examples() -> Vec<(String, &'static [u8])> {
    bundled::EXAMPLE_FILES
        .iter()
        .filter(|(p, _)| p.ends_with("/template.json"))
        .map(|(p, b)| (p.trim_end_matches("/template.json").to_string(), *b))
        .collect()
}

fn bundled_file(path: &str) -> Option<&'static [u8]> {
    bundled::EXAMPLE_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| *b)
}

fn demo(out: &Path) -> CliResult {
    let examples = bundled_examples();
    if examples.is_empty() {
        return Err("this build has no bundled examples".into());
    }
    let mut written = 0usize;
    for (name, template_bytes) in examples {
        let mut engine = Engine::new();
        let text = std::str::from_utf8(template_bytes).map_err(|e| format!("{name}: {e}"))?;
        let template = engine.compile(text).map_err(|e| format!("{name}: {e}"))?;
        for (path, bytes) in bundled::EXAMPLE_FILES {
            if let Some(key) = path.strip_prefix(&format!("{name}/")) {
                if key.starts_with("img/") {
                    engine
                        .add_image(key, bytes)
                        .map_err(|e| format!("{name}: {e}"))?;
                }
            }
        }
        let contexts: Vec<Option<Value>> = match bundled_file(&format!("{name}/contexts.jsonl")) {
            Some(b) => String::from_utf8_lossy(b)
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter(Value::is_object)
                .take(4)
                .map(Some)
                .collect(),
            None => vec![None],
        };
        let engine = &engine;
        let jobs: Vec<(String, usize, &Option<Value>)> = template
            .sizes
            .iter()
            .flat_map(|s| {
                contexts
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| (s.name(), i, c))
            })
            .collect();
        let results: Vec<CliResult<String>> = jobs
            .par_iter()
            .map(|(size, ci, context)| {
                let input = RenderInput {
                    context: (*context).clone(),
                    size: Some(size.clone()),
                    ..RenderInput::default()
                };
                let r = engine
                    .render(&template, &input)
                    .map_err(|e| format!("{name} {size}: {e}"))?;
                let dir = out.join(&name).join(size);
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                let file = dir.join(format!("{}.png", context_label(context, *ci)));
                std::fs::write(&file, &r.bytes).map_err(|e| format!("{}: {e}", file.display()))?;
                Ok(format!(
                    "{}  [{}]",
                    file.display(),
                    if r.decision.fired.is_empty() {
                        "no rules fired".to_string()
                    } else {
                        r.decision.fired.join(", ")
                    }
                ))
            })
            .collect();
        for r in results {
            let line = r?;
            println!("{line}");
            written += 1;
        }
    }
    println!("wrote {written} creatives to {}", out.display());
    Ok(())
}
