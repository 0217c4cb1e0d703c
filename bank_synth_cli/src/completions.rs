//! `bank_synth completions bash|zsh|fish`: shell completion scripts written from the
//! command tree clap already holds, so they follow every flag added to `args.rs`.
//!
//! Written here rather than by `clap_complete`, which this build cannot fetch. Bash's
//! script completes commands, flags and the values of enumerated flags, and leaves file
//! names to the shell for every other value; zsh runs the same function through its
//! `bashcompinit`; fish gets one `complete` line per flag.

use clap::{Arg, Command, ValueEnum};
use std::fmt::Write as _;

/// A shell to complete in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The completion script of `command` for `shell`.
pub fn script(shell: Shell, mut command: Command) -> String {
    command.build();
    let tree = Tree::of(&command);
    match shell {
        Shell::Bash => bash(&tree),
        Shell::Zsh => format!(
            "#compdef {name}\n# zsh runs the bash completion of {name} through bashcompinit.\n\
             autoload -U +X bashcompinit && bashcompinit\n{}",
            bash(&tree),
            name = tree.name
        ),
        Shell::Fish => fish(&tree),
    }
}

/// What completion needs of the command tree.
struct Tree {
    name: String,
    /// Flags before a subcommand.
    flags: Vec<Flag>,
    subcommands: Vec<Sub>,
}

struct Sub {
    name: String,
    about: String,
    flags: Vec<Flag>,
    /// The values its positional arguments accept, when they are enumerated.
    positional_values: Vec<String>,
}

struct Flag {
    long: Option<String>,
    short: Option<char>,
    help: String,
    /// Whether the flag takes a value.
    takes_value: bool,
    /// The values it accepts, when they are enumerated.
    values: Vec<String>,
    /// Whether it is the main command's flag, offered after every subcommand too.
    global: bool,
}

impl Tree {
    fn of(command: &Command) -> Self {
        Self {
            name: command.get_name().to_string(),
            flags: flags(command),
            subcommands: command
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| Sub {
                    name: s.get_name().to_string(),
                    about: first_sentence(s.get_about().map(ToString::to_string)),
                    flags: flags(s),
                    positional_values: s.get_positionals().flat_map(possible_values).collect(),
                })
                .collect(),
        }
    }
}

fn flags(command: &Command) -> Vec<Flag> {
    command
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
        .map(|a: &Arg| Flag {
            long: a.get_long().map(str::to_string),
            short: a.get_short(),
            help: first_sentence(a.get_help().map(ToString::to_string)),
            takes_value: a.get_action().takes_values(),
            values: possible_values(a),
            global: a.is_global_set(),
        })
        .collect()
}

/// The values an argument accepts, when they are enumerated.
fn possible_values(arg: &Arg) -> Vec<String> {
    arg.get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// The first sentence of a help text, on one line.
fn first_sentence(help: Option<String>) -> String {
    let help = help.unwrap_or_default().replace('\n', " ");
    let end = help.find(". ").map_or(help.len(), |i| i + 1);
    help[..end].trim_end_matches('.').trim().to_string()
}

impl Flag {
    /// `--long` and `-s`, as typed.
    fn spellings(&self) -> impl Iterator<Item = String> + '_ {
        let long = self.long.iter().map(|l| format!("--{l}"));
        long.chain(self.short.iter().map(|s| format!("-{s}")))
    }
}

fn bash(tree: &Tree) -> String {
    let function = format!("_{}", tree.name.replace('-', "_"));
    let names: Vec<&str> = tree.subcommands.iter().map(|s| s.name.as_str()).collect();
    let mut s = String::new();
    let _ = writeln!(s, "{function}() {{");
    s.push_str(
        "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n",
    );
    s.push_str("    local command=\"\" word\n");
    s.push_str("    for word in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n");
    let _ = writeln!(
        s,
        "        case \"$word\" in {}) command=\"$word\"; break ;; esac",
        names.join("|")
    );
    s.push_str("    done\n");
    s.push_str("    case \"$command $prev\" in\n");
    let all = std::iter::once(("", &tree.flags))
        .chain(tree.subcommands.iter().map(|c| (c.name.as_str(), &c.flags)));
    let mut free = Vec::new();
    for (command, flags) in all.clone() {
        for flag in flags.iter().filter(|f| f.takes_value) {
            let patterns = flag.spellings().map(|f| format!("\"{command} {f}\""));
            if flag.values.is_empty() {
                free.extend(patterns);
            } else {
                let patterns: Vec<String> = patterns.collect();
                let _ = writeln!(
                    s,
                    "        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;",
                    patterns.join("|"),
                    flag.values.join(" ")
                );
            }
        }
    }
    // No list to offer: the shell completes file names (`complete -o default`).
    let _ = writeln!(s, "        {}) COMPREPLY=(); return ;;", free.join("|"));
    s.push_str("    esac\n");
    s.push_str("    local words\n");
    s.push_str("    case \"$command\" in\n");
    let positionals = std::iter::once(names.iter().map(|n| n.to_string()).collect())
        .chain(tree.subcommands.iter().map(|c| c.positional_values.clone()));
    for ((command, flags), mut words) in all.zip(positionals) {
        words.extend(flags.iter().flat_map(Flag::spellings));
        let _ = writeln!(s, "        \"{command}\") words=\"{}\" ;;", words.join(" "));
    }
    s.push_str("    esac\n");
    s.push_str("    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n");
    s.push_str("}\n");
    let _ = writeln!(s, "complete -o default -F {function} {}", tree.name);
    s
}

fn fish(tree: &Tree) -> String {
    let mut s = String::new();
    let name = &tree.name;
    let _ = writeln!(s, "complete -c {name} -f");
    for sub in &tree.subcommands {
        let _ = writeln!(
            s,
            "complete -c {name} -n __fish_use_subcommand -a {} -d {}",
            sub.name,
            fish_quote(&sub.about)
        );
        if !sub.positional_values.is_empty() {
            let _ = writeln!(
                s,
                "complete -c {name} -n '__fish_seen_subcommand_from {}' -a {}",
                sub.name,
                fish_quote(&sub.positional_values.join(" "))
            );
        }
    }
    let all = std::iter::once((None, &tree.flags))
        .chain(tree.subcommands.iter().map(|c| (Some(&c.name), &c.flags)));
    for (command, flags) in all {
        // The main command's flags apply after every subcommand without a condition.
        let own = flags.iter().filter(|f| command.is_none() || !f.global);
        for flag in own {
            let mut line = format!("complete -c {name}");
            match command {
                Some(command) => {
                    let _ = write!(line, " -n '__fish_seen_subcommand_from {command}'");
                }
                None if !flag.global => line.push_str(" -n __fish_use_subcommand"),
                None => {}
            }
            if let Some(long) = &flag.long {
                let _ = write!(line, " -l {long}");
            }
            if let Some(short) = flag.short {
                let _ = write!(line, " -s {short}");
            }
            if flag.takes_value && flag.values.is_empty() {
                line.push_str(" -r -F");
            } else if flag.takes_value {
                let _ = write!(line, " -r -a {}", fish_quote(&flag.values.join(" ")));
            }
            let _ = writeln!(line, " -d {}", fish_quote(&flag.help));
            s.push_str(&line);
        }
    }
    s
}

/// A fish single-quoted string.
fn fish_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}
