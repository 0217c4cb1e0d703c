//! The library never words its messages as the CLI: no string literal in its sources
//! names a command-line flag (`--sample_dir`). Errors name the inputs a caller chose
//! through `error::Setting`, and each front end words those its own way.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The string literals of Rust source `code`, with the line each starts on. Comments
/// (where docs may show CLI examples) and character literals are skipped.
fn string_literals(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let (mut literals, mut line, mut i) = (Vec::new(), 1, 0);
    while i < chars.len() {
        match (chars[i], chars.get(i + 1).copied()) {
            ('\n', _) => line += 1,
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ('/', Some('*')) => {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
                i += 2;
                continue;
            }
            ('\'', Some(c)) if chars.get(i + 2) == Some(&'\'') || c == '\\' => {
                // A character literal such as '"' or '\\'.
                let end = chars[i + 1..].iter().position(|&c| c == '\'').unwrap_or(0);
                i += end.max(1) + 2;
                continue;
            }
            ('r', Some('"' | '#'))
                if i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') =>
            {
                // A raw string r"…" or r#"…"#: it ends at `"` and as many `#`.
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let open = i + 1 + hashes;
                if chars.get(open) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let body: String = chars[open + 1..].iter().collect();
                let end = body.find(&close).unwrap_or(body.len());
                let text = &body[..end];
                literals.push((line, text.to_string()));
                line += text.matches('\n').count();
                i = open + 1 + text.chars().count() + close.chars().count();
                continue;
            }
            ('"', _) => {
                let (start, mut text) = (line, String::new());
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        text.push(chars[i]);
                        i += 1;
                    }
                    line += usize::from(chars[i] == '\n');
                    text.push(chars[i]);
                    i += 1;
                }
                literals.push((start, text));
            }
            _ => {}
        }
        i += 1;
    }
    literals
}

/// `--` then a lower-case letter: a long flag.
fn names_a_flag(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'-' && w[1] == b'-' && w[2].is_ascii_lowercase())
}

#[test]
fn no_library_text_names_a_cli_flag() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&src) {
        let code = std::fs::read_to_string(&file).unwrap();
        for (line, text) in string_literals(&code) {
            if names_a_flag(&text) {
                found.push(format!("{}:{line}: \"{text}\"", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "library strings name CLI flags (use error::Setting instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_flags_in_strings_only() {
    let code = "// --doc_flag in a comment\nlet a = '\"'; let s = \"pass --sample_dir DIR\";\n/* --block */ let t = \"a -- b\"; let r = r#\"say \"--raw\"\"#; let u = \"after\";";
    let literals = string_literals(code);
    let flagged: Vec<_> = literals.iter().filter(|(_, t)| names_a_flag(t)).collect();
    assert_eq!(
        flagged,
        [
            &(2, "pass --sample_dir DIR".to_string()),
            &(3, "say \"--raw\"".to_string())
        ]
    );
    assert!(literals.iter().any(|(_, t)| t == "a -- b"));
    assert!(
        literals.iter().any(|(_, t)| t == "after"),
        "in step after a raw string"
    );
}
