//! Running the built `socgrad` binary, shared by the command-line tests: a command's output, a
//! command that must succeed with one JSON object, and one that must be refused.

use std::process::{Command, Output};

use serde_json::Value;

/// Runs `socgrad` with `args`.
pub fn socgrad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_socgrad")).args(args).output().expect("run socgrad")
}

/// Runs a command that must succeed and print one JSON object, and returns it.
pub fn json_of(args: &[&str]) -> Value {
    let out = socgrad(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Runs a command that must succeed with `--json` added, and returns the parsed object.
pub fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    json_of(&all)
}

/// Runs a command that must fail with exit code 2 and nothing on stdout, and returns its stderr.
pub fn refused(args: &[&str]) -> String {
    let out = socgrad(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
