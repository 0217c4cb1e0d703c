//! The table graph: parents before children, cycles broken on nullable foreign keys.

use crate::error::{Error, Result};
use crate::model::Relationship;
use petgraph::algo::{is_cyclic_directed, tarjan_scc, toposort};
use petgraph::graphmap::DiGraphMap;

/// Orders `tables` so that every parent comes before its children. Self-references
/// are ignored; a cycle is broken on its nullable foreign keys (they are filled with
/// keys of rows generated later, which every row can name by index). A cycle made only
/// of NOT NULL foreign keys cannot be generated and is an error naming its tables.
pub fn generation_order(tables: &[String], relationships: &[Relationship]) -> Result<Vec<String>> {
    let index = |name: &str| tables.iter().position(|t| t == name);
    let mut strict = DiGraphMap::<usize, ()>::new();
    for i in 0..tables.len() {
        strict.add_node(i);
    }
    let mut optional = Vec::new();
    for r in relationships {
        let (Some(p), Some(c)) = (index(&r.parent_table), index(&r.child_table)) else {
            continue;
        };
        if p == c {
            continue;
        }
        if r.nullable {
            optional.push((p, c));
        } else {
            strict.add_edge(p, c, ());
        }
    }
    if is_cyclic_directed(&strict) {
        let cycle = tarjan_scc(&strict)
            .into_iter()
            .find(|scc| scc.len() > 1)
            .unwrap_or_default();
        let names: Vec<&str> = cycle.iter().map(|&i| tables[i].as_str()).collect();
        return Err(Error::Schema(format!(
            "the foreign keys between {} form a cycle in which every foreign key is NOT NULL, so no row could be inserted first; make one of these foreign keys nullable in the samples or remove one from relationships.yaml",
            names.join(", ")
        )));
    }
    // Keep each nullable edge that does not close a cycle, in declaration order.
    for (p, c) in optional {
        strict.add_edge(p, c, ());
        if is_cyclic_directed(&strict) {
            strict.remove_edge(p, c);
        }
    }
    let order = toposort(&strict, None).expect("the graph was kept acyclic");
    // toposort's order among independent tables follows the graph; make it stable by
    // repeatedly taking the first table (in `tables` order) whose parents are placed.
    let mut placed = vec![false; tables.len()];
    let mut out = Vec::with_capacity(tables.len());
    while out.len() < tables.len() {
        let next = (0..tables.len())
            .find(|&i| {
                !placed[i]
                    && strict
                        .neighbors_directed(i, petgraph::Direction::Incoming)
                        .all(|p| placed[p])
            })
            .unwrap_or(order[out.len()]);
        placed[next] = true;
        out.push(tables[next].clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Cardinality;
    use crate::model::Role;
    use crate::stats::Frequencies;

    fn rel(parent: &str, child: &str, nullable: bool) -> Relationship {
        Relationship {
            name: format!("fk_{child}_{parent}"),
            parent_table: parent.into(),
            parent_columns: vec!["ID".into()],
            child_table: child.into(),
            child_columns: vec!["PID".into()],
            cardinality: Cardinality::OneToMany,
            role: Role::Reference,
            nullable,
            null_rate: 0.0,
            fanout: Frequencies::from_counts([(1u32, 1)]).unwrap(),
            sample_orphans: 0,
            fanout_by: None,
            through: None,
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parents_come_first() {
        let order = generation_order(
            &names(&["TXN", "ACC", "CUST"]),
            &[
                rel("CUST", "ACC", false),
                rel("ACC", "TXN", false),
                rel("CUST", "CUST", true),
            ],
        )
        .unwrap();
        assert_eq!(order, names(&["CUST", "ACC", "TXN"]));
    }

    #[test]
    fn nullable_cycles_are_broken_and_strict_ones_rejected() {
        let order = generation_order(
            &names(&["A", "B"]),
            &[rel("A", "B", false), rel("B", "A", true)],
        )
        .unwrap();
        assert_eq!(order, names(&["A", "B"]));
        let err = generation_order(
            &names(&["A", "B"]),
            &[rel("A", "B", false), rel("B", "A", false)],
        )
        .unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
    }
}
