//! `bank_synth completions bash|zsh|fish|elvish|powershell` (clap_complete): the bash
//! script is run by real bash the way readline calls it (COMP_WORDS, COMP_CWORD, the
//! command, the word being completed and the one before) and must offer commands, flags,
//! the values of enumerated flags and file names for paths.

mod common;

use std::path::Path;
use std::process::Command;

/// What the bash completion offers for the words typed so far (the last one being
/// completed), run in `cwd`.
fn bash_offers(script: &str, cwd: &Path, typed: &[&str]) -> Vec<String> {
    let words: Vec<String> = typed.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_bank_synth bank_synth \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.join(" "),
        typed.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .current_dir(cwd)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_flags_values_and_paths() {
    let script = common::ok(&["completions", "bash"]);
    let syntax = Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .unwrap();
    assert!(syntax.status.success(), "the script is valid bash");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("CORE_modelpack")).unwrap();

    let offers = |typed: &[&str]| bash_offers(&script, dir.path(), typed);
    assert_eq!(offers(&["bank_synth", "tr"]), ["train"]);
    assert_eq!(offers(&["bank_synth", "-q", "gen"]), ["generate"]);
    assert_eq!(
        offers(&["bank_synth", "generate", "--target_r"]),
        ["--target_rows"]
    );
    assert_eq!(
        offers(&["bank_synth", "train", "--source", ""]),
        ["oracle", "hive", "samples", "both"]
    );
    assert_eq!(
        offers(&["bank_synth", "samples", "--format", "p"]),
        ["parquet"]
    );
    assert_eq!(offers(&["bank_synth", "completions", "z"]), ["zsh"]);
    assert_eq!(
        offers(&["bank_synth", "generate", "--model", "CORE"]),
        ["CORE_modelpack"]
    );
    assert_eq!(offers(&["bank_synth", "stream", "--sh"]), ["--shard"]);
    // A subcommand's flags are its own: `info` has no --target_rows.
    assert!(offers(&["bank_synth", "info", "--target"]).is_empty());
    assert_eq!(offers(&["bank_synth", "info", "--w"]), ["--wide"]);
}

#[test]
fn zsh_and_fish_scripts_name_every_command_and_flag() {
    let zsh = common::ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef bank_synth\n"), "{zsh}");
    for text in [
        "'--target_rows=[",
        "'--shard=[",
        // Each source with its description.
        "'--source=[Data source for training]:SOURCE:((oracle\\:\"An Oracle schema",
        "hive\\:\"Hive tables",
        "samples\\:\"A directory of",
        "both\\:\"Oracle and Hive tables",
    ] {
        assert!(zsh.contains(text), "missing {text:?} in\n{zsh}");
    }
    let fish = common::ok(&["completions", "fish"]);
    for line in [
        "-f -a \"generate\" -d 'Generate a target table plus every parent it needs from a model pack'",
        "__fish_bank_synth_using_subcommand generate\" -l model -d 'Path to trained model pack' -r -F",
        // Fish's single quotes escape an apostrophe.
        "-d 'Compare a generated run with real rows (SDMetrics\\' quality report properties)'",
    ] {
        assert!(fish.contains(line), "missing {line:?} in\n{fish}");
    }
    let bad = common::run(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("possible values: bash, elvish, fish"));
}
