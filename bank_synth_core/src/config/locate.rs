//! Finding the line of a key in YAML text, so errors found after parsing (an unknown
//! table, a column that is not in the samples) can still name a line.

/// The 1-based line where the path of `keys` appears: the first line holding `keys[0]`
/// as a whole word, then the first line at or after it holding `keys[1]`, and so on.
/// Matching is case-insensitive.
pub fn line_of(text: &str, keys: &[&str]) -> Option<usize> {
    let lines: Vec<String> = text.lines().map(str::to_ascii_lowercase).collect();
    let mut from = 0;
    let mut found = None;
    for key in keys {
        let key = key.to_ascii_lowercase();
        let at = (from..lines.len()).find(|&i| contains_word(&lines[i], &key))?;
        found = Some(at + 1);
        from = at;
    }
    found
}

fn contains_word(line: &str, word: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line);
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(word).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_in_order() {
        let text =
            "tables:\n  CUSTOMERS:\n    ssn: {level: pii}\n  ACCOUNTS:\n    ssn: {level: pii}\n";
        assert_eq!(line_of(text, &["customers", "ssn"]), Some(3));
        assert_eq!(line_of(text, &["ACCOUNTS", "SSN"]), Some(5));
        assert_eq!(line_of(text, &["ACCOUNTS", "level"]), Some(5));
        assert_eq!(line_of(text, &["missing"]), None);
        assert_eq!(line_of("tables: [A, AB]\n", &["AB"]), Some(1));
    }
}
