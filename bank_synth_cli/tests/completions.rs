//! `bank_synth completions bash|zsh|fish`: the bash script is run by real bash the way
//! readline calls it (COMP_WORDS, COMP_CWORD) and must offer commands, flags and the
//! values of enumerated flags, leaving file names to the shell elsewhere.

mod common;

use std::process::Command;

/// What the bash completion offers for the words typed so far (the last one being
/// completed).
fn bash_offers(script: &str, typed: &[&str]) -> Vec<String> {
    let words: Vec<String> = typed.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_bank_synth\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.join(" "),
        typed.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
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
fn bash_completes_commands_flags_and_enumerated_values() {
    let script = common::ok(&["completions", "bash"]);
    let syntax = Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .unwrap();
    assert!(syntax.status.success(), "the script is valid bash");
    assert!(script.ends_with("complete -o default -F _bank_synth bank_synth\n"));

    let offers = |typed: &[&str]| bash_offers(&script, typed);
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
    // A path-valued flag offers nothing itself: `complete -o default` lists files.
    assert!(offers(&["bank_synth", "generate", "--model", ""]).is_empty());
    // A subcommand's flags are its own: `info` has no --target_rows.
    assert!(offers(&["bank_synth", "info", "--target"]).is_empty());
    assert_eq!(offers(&["bank_synth", "info", "--w"]), ["--wide"]);
}

#[test]
fn zsh_runs_the_bash_completion_and_fish_gets_a_line_per_flag() {
    let bash = common::ok(&["completions", "bash"]);
    let zsh = common::ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef bank_synth\n"), "{zsh}");
    assert!(zsh.contains("bashcompinit") && zsh.ends_with(&bash));

    let fish = common::ok(&["completions", "fish"]);
    for line in [
        "complete -c bank_synth -n __fish_use_subcommand -a generate -d 'Generate a target table plus every parent it needs from a model pack'",
        "complete -c bank_synth -n '__fish_seen_subcommand_from train' -l source -r -a 'oracle hive samples both'",
        "complete -c bank_synth -n '__fish_seen_subcommand_from generate' -l model -r -F",
        // Fish's single quotes escape an apostrophe.
        "-d 'Compare a generated run with real rows (SDMetrics\\' quality report properties)'",
    ] {
        assert!(fish.contains(line), "missing {line:?} in\n{fish}");
    }
    // Global flags appear once, for every subcommand.
    assert_eq!(fish.matches("-l quiet").count(), 1, "{fish}");

    let bad = common::run(&["completions", "powershell"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("possible values: bash, zsh, fish"));
}
