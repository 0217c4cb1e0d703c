//! Rust names for a model pack's tables, columns and values.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `name` with every character that cannot be part of an ASCII identifier made a word
/// boundary, so generated names stay ASCII whatever the data's script.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `STATEMENT_LINES` → `StatementLines`, `CustomerId` → `CustomerId`.
pub fn pascal(name: &str) -> String {
    ascii_words(name).to_upper_camel_case()
}

/// `STATEMENT_LINES` → `statement_lines`, `CustomerId` → `customer_id`, keywords raw (`r#type`), never starting with a
/// digit.
pub fn snake(name: &str) -> String {
    let joined = ascii_words(name).to_snake_case();
    let joined = if joined.is_empty() || joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("c_{joined}")
    } else {
        joined
    };
    match joined.as_str() {
        "self" | "super" | "crate" => format!("{joined}_"),
        word if is_keyword(word) => format!("r#{word}"),
        _ => joined,
    }
}

/// The singular of a table name's last word: `STATEMENT_LINES` → `STATEMENT_LINE`,
/// `BRANCHES` → `BRANCH`, `CATEGORIES` → `CATEGORY`.
pub fn singular(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    for (suffix, replacement) in [("IES", "Y"), ("SSES", "SS")] {
        if let Some(stem) = upper.strip_suffix(suffix) {
            return format!("{stem}{replacement}");
        }
    }
    for ending in ["CHES", "SHES", "XES", "ZES"] {
        if upper.ends_with(ending) {
            return upper[..upper.len() - 2].to_string();
        }
    }
    match upper.strip_suffix('S') {
        Some(stem) if !stem.ends_with(['S', 'U']) && !stem.is_empty() => stem.to_string(),
        _ => upper,
    }
}

/// An enum variant for a categorical value: `CREDIT_CARD` → `CreditCard`, `5812` →
/// `{prefix}5812`, `""` → `Empty`.
pub fn variant(value: &str, prefix: &str) -> String {
    let name = pascal(value);
    if name.is_empty() {
        "Empty".into()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else if name == "Self" {
        "SelfValue".into()
    } else {
        name
    }
}

/// Makes every name unique by numbering repeats (`Card`, `Card2`).
pub fn dedupe(names: &mut [String]) {
    let mut seen = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        let base = name.clone();
        let mut n = 2;
        while !seen.insert(name.clone()) {
            *name = format!("{base}{n}");
            n += 1;
        }
    }
}

/// A column name without a trailing `_ID`/`_NO`/`_KEY` word: `HOME_BRANCH_ID` →
/// `HOME_BRANCH`, for naming the parent a foreign key points at.
pub fn role(column: &str) -> String {
    let upper = column.to_ascii_uppercase();
    ["_ID", "_NO", "_KEY"]
        .iter()
        .find_map(|s| upper.strip_suffix(s))
        .filter(|stem| !stem.is_empty())
        .map_or(upper.clone(), str::to_string)
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "gen"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_column_names() {
        assert_eq!(pascal("STATEMENT_LINES"), "StatementLines");
        assert_eq!(pascal(&singular("STATEMENT_LINES")), "StatementLine");
        assert_eq!(singular("BRANCHES"), "BRANCH");
        assert_eq!(singular("CATEGORIES"), "CATEGORY");
        assert_eq!(singular("ADDRESSES"), "ADDRESS");
        assert_eq!(singular("STATUS"), "STATUS");
        assert_eq!(singular("CLASS"), "CLASS");
        assert_eq!(singular("DATA"), "DATA");
        assert_eq!(snake("TXN_TS"), "txn_ts");
        assert_eq!(snake("TYPE"), "r#type");
        assert_eq!(snake("SELF"), "self_");
        assert_eq!(snake("1ST_LINE"), "c_1st_line");
        assert_eq!(snake("CustomerId"), "customer_id");
        assert_eq!(pascal("invoice_line"), "InvoiceLine");
        assert_eq!(snake("Straße Nr"), "stra_e_nr");
        assert_eq!(role("HOME_BRANCH_ID"), "HOME_BRANCH");
        assert_eq!(role("REFERRED_BY"), "REFERRED_BY");
        assert_eq!(role("ID"), "ID");
    }

    #[test]
    fn variants_are_identifiers_and_unique() {
        assert_eq!(variant("CREDIT_CARD", "Mcc"), "CreditCard");
        assert_eq!(variant("San Francisco", "City"), "SanFrancisco");
        assert_eq!(variant("5812", "Mcc"), "Mcc5812");
        assert_eq!(variant("", "X"), "Empty");
        assert_eq!(variant("self", "X"), "SelfValue");
        let mut names = vec!["A".to_string(), "A".into(), "A2".into(), "A".into()];
        dedupe(&mut names);
        assert_eq!(names, ["A", "A2", "A22", "A3"]);
    }
}
