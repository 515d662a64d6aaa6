//! Rule conditions in JSONLogic (jsonlogic.com), evaluated by `datalogic-rs`.
//!
//! JSONLogic has no unbounded loops: the only iteration is `map`, `filter`,
//! `reduce`, `all`, `some`, `none` (and `merge`) over arrays. So the work of a
//! rule is bounded by its size times the length of the longest array it can
//! iterate, raised to how deeply such operators nest. Rules are checked against
//! that bound before they run (`maxRuleSteps`), and their size and depth when
//! they are compiled (`maxRuleNodes`, `maxDepth`), so no rule can hang a host.

use crate::error::{Error, Result};
use crate::template::Limits;
use datalogic_rs::{bumpalo::Bump, DataValue, EvalInput};
use serde_json::Value;
use std::sync::OnceLock;

/// Operators that iterate over an array argument.
const ITERATING: &[&str] = &[
    "map", "filter", "reduce", "all", "some", "none", "merge", "sort", "find",
];

/// The evaluator, configured once: JavaScript-style loose equality (no error
/// when comparing a number with a string), as in the JSONLogic reference.
fn evaluator() -> &'static datalogic_rs::Engine {
    static ENGINE: OnceLock<datalogic_rs::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let config = datalogic_rs::EvaluationConfig::default()
            .with_loose_equality_errors(false)
            .with_max_recursion_depth(64);
        datalogic_rs::Engine::builder().with_config(config).build()
    })
}

/// A compiled `when` condition.
pub struct CompiledRule {
    logic: datalogic_rs::Logic,
    /// The expression as written.
    pub expression: Value,
    /// Every `var` path the expression reads, e.g. `context.weather`.
    pub reads: Vec<String>,
    /// Number of operators and values in the expression.
    pub nodes: u64,
    /// How deeply iterating operators nest.
    pub iteration_depth: u32,
    path: String,
}

impl std::fmt::Debug for CompiledRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledRule")
            .field("expression", &self.expression)
            .field("reads", &self.reads)
            .finish()
    }
}

impl CompiledRule {
    /// Validate and compile `expression`; `path` is its JSON path for errors.
    pub fn compile(expression: &Value, path: &str, limits: &Limits) -> Result<CompiledRule> {
        let shape = measure(expression, path, limits)?;
        let logic = evaluator().compile(expression).map_err(|e| Error::Rule {
            path: path.to_string(),
            reason: e.to_string(),
        })?;
        Ok(CompiledRule {
            logic,
            expression: expression.clone(),
            reads: shape.reads,
            nodes: shape.nodes,
            iteration_depth: shape.iteration_depth,
            path: path.to_string(),
        })
    }

    /// Evaluate against `input` (already converted into `arena`); `longest_array`
    /// is the longest array anywhere in the input, for the step bound.
    pub fn eval<'a>(
        &'a self,
        input: &'a DataValue<'a>,
        arena: &'a Bump,
        longest_array: u64,
        limits: &Limits,
    ) -> Result<bool> {
        let per_level = longest_array.max(1);
        let steps =
            (0..self.iteration_depth).fold(self.nodes, |acc, _| acc.saturating_mul(per_level));
        if steps > limits.max_rule_steps {
            return Err(Error::limit(
                &self.path,
                "maxRuleSteps",
                limits.max_rule_steps,
                steps,
            ));
        }
        let engine = evaluator();
        let result = engine
            .evaluate(&self.logic, input, arena)
            .map_err(|e| Error::Rule {
                path: self.path.clone(),
                reason: e.to_string(),
            })?;
        Ok(engine.truthy(result))
    }
}

/// Convert the rule input once per evaluation; all rules share it.
pub fn to_arena<'a>(input: &'a Value, arena: &'a Bump) -> Result<&'a DataValue<'a>> {
    input.into_arena_value(arena).map_err(|e| Error::Rule {
        path: "input".into(),
        reason: e.to_string(),
    })
}

/// The longest array anywhere inside `value` (iteratively: inputs may be deep).
pub fn longest_array(value: &Value) -> u64 {
    let mut longest = 0u64;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => {
                longest = longest.max(items.len() as u64);
                stack.extend(items);
            }
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    longest
}

struct Shape {
    reads: Vec<String>,
    nodes: u64,
    iteration_depth: u32,
}

/// Walk the expression iteratively: count nodes, check depth, collect `var`s.
fn measure(expression: &Value, path: &str, limits: &Limits) -> Result<Shape> {
    let mut shape = Shape {
        reads: Vec::new(),
        nodes: 0,
        iteration_depth: 0,
    };
    // (value, depth, iterating operators above)
    let mut stack = vec![(expression, 1u32, 0u32)];
    while let Some((v, depth, iterating)) = stack.pop() {
        shape.nodes += 1;
        if shape.nodes > limits.max_rule_nodes as u64 {
            return Err(Error::limit(
                path,
                "maxRuleNodes",
                limits.max_rule_nodes as u64,
                shape.nodes,
            ));
        }
        if depth > limits.max_depth {
            return Err(Error::limit(
                path,
                "maxDepth",
                limits.max_depth as u64,
                depth as u64,
            ));
        }
        shape.iteration_depth = shape.iteration_depth.max(iterating);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1, iterating))),
            Value::Object(map) => {
                if map.len() == 1 {
                    if let Some(op) = map.keys().next() {
                        if !is_operator(op) {
                            return Err(Error::Rule {
                                path: path.to_string(),
                                reason: format!("unknown JSONLogic operator `{op}`"),
                            });
                        }
                    }
                }
                for (op, args) in map {
                    if op == "var" || op == "val" || op == "exists" {
                        record_var(args, &mut shape.reads);
                    }
                    let inner = iterating + u32::from(ITERATING.contains(&op.as_str()));
                    stack.push((args, depth + 1, inner));
                }
            }
            _ => {}
        }
    }
    shape.reads.sort();
    shape.reads.dedup();
    Ok(shape)
}

/// True for the operators the evaluator knows.
fn is_operator(name: &str) -> bool {
    let engine = evaluator();
    engine.builtin_operator_names().any(|n| n == name) || engine.has_custom_operator(name)
}

fn record_var(args: &Value, reads: &mut Vec<String>) {
    let path = match args {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => match items.first() {
            Some(Value::String(s)) => Some(s.clone()),
            // `val` takes path segments as an array.
            Some(Value::Array(_)) | None => None,
            _ => None,
        },
        _ => None,
    };
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        reads.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: Value, input: Value) -> Result<bool> {
        let limits = Limits::default();
        let rule = CompiledRule::compile(&expr, "rules[0].when", &limits)?;
        let arena = Bump::new();
        let data = to_arena(&input, &arena)?;
        rule.eval(data, &arena, longest_array(&input), &limits)
    }

    #[test]
    fn conditions_over_context() {
        let ctx = json!({"data": {}, "context": {"weather": "rain", "temp": 8}});
        let expr = json!({"and": [{"==": [{"var": "context.weather"}, "rain"]}, {"<": [{"var": "context.temp"}, 10]}]});
        assert!(run(expr.clone(), ctx).unwrap());
        assert!(!run(
            expr,
            json!({"data": {}, "context": {"weather": "clear", "temp": 8}})
        )
        .unwrap());
    }

    #[test]
    fn reads_are_collected() {
        let expr = json!({"or": [{"in": [{"var": "context.lang"}, ["de", "at"]]}, {"var": ["data.flag", false]}]});
        let rule = CompiledRule::compile(&expr, "r", &Limits::default()).unwrap();
        assert_eq!(
            rule.reads,
            vec!["context.lang".to_string(), "data.flag".to_string()]
        );
    }

    #[test]
    fn runaway_rules_are_rejected() {
        // Nested iteration over a long array: bounded before it runs.
        let big: Vec<i32> = (0..2000).collect();
        let input = json!({"data": {"xs": big}, "context": {}});
        let expr = json!({"some": [{"var": "data.xs"}, {"some": [{"var": "data.xs"}, {"==": [{"var": ""}, -1]}]}]});
        let err = run(expr, input).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Limit {
                    limit: "maxRuleSteps",
                    ..
                }
            ),
            "{err}"
        );
        // Too many nodes.
        let wide = Value::Array((0..600).map(Value::from).collect());
        let err = run(json!({"in": [1, wide]}), json!({})).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Limit {
                    limit: "maxRuleNodes",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_operator_names_the_path() {
        let err = run(json!({"frobnicate": [1]}), json!({})).unwrap_err();
        assert!(err.to_string().starts_with("rules[0].when:"), "{err}");
    }
}
