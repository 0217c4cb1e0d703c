//! The table graph: parents before children, cycles broken on foreign keys that pick
//! their parent rows rather than group under them.

use crate::error::{Error, Result};
use crate::model::{Relationship, Role};
use petgraph::algo::{is_cyclic_directed, tarjan_scc, toposort};
use petgraph::graphmap::DiGraphMap;

/// Orders `tables` so that every parent comes before its children. Self-references
/// are ignored. A cycle is broken on a foreign key that picks its parent rows (a
/// nullable one first, else a NOT NULL second parent): it is filled with keys of rows
/// generated later, which every row can name by index. Grouping foreign keys are never
/// broken, as a child's rows are laid out under its grouping parent's; a cycle of them
/// (only a hand-edited pack has one, training breaks them) is an error naming its
/// tables.
pub fn generation_order(tables: &[String], relationships: &[Relationship]) -> Result<Vec<String>> {
    let index = |name: &str| tables.iter().position(|t| t == name);
    let mut graph = DiGraphMap::<usize, ()>::new();
    for i in 0..tables.len() {
        graph.add_node(i);
    }
    let mut edges: Vec<(u8, usize, usize)> = relationships
        .iter()
        .filter_map(|r| {
            let (p, c) = (index(&r.parent_table)?, index(&r.child_table)?);
            let rank = match (r.role, r.nullable) {
                (Role::Grouping, _) => 0,
                (_, false) => 1,
                (_, true) => 2,
            };
            (p != c).then_some((rank, p, c))
        })
        .collect();
    // Grouping edges first, then NOT NULL second parents, then nullable ones; within a
    // rank in declaration order (the sort is stable).
    edges.sort_by_key(|&(rank, _, _)| rank);
    for (rank, p, c) in edges {
        graph.add_edge(p, c, ());
        if is_cyclic_directed(&graph) {
            if rank == 0 {
                let cycle = tarjan_scc(&graph)
                    .into_iter()
                    .find(|scc| scc.len() > 1)
                    .unwrap_or_default();
                let names: Vec<&str> = cycle.iter().map(|&i| tables[i].as_str()).collect();
                return Err(Error::Schema(format!(
                    "the grouping foreign keys between {} form a cycle, so no table's rows could be laid out first; the model pack is damaged, retrain it",
                    names.join(", ")
                ).into()));
            }
            graph.remove_edge(p, c);
        }
    }
    let order = toposort(&graph, None).expect("the graph was kept acyclic");
    // toposort's order among independent tables follows the graph; make it stable by
    // repeatedly taking the first table (in `tables` order) whose parents are placed.
    let mut placed = vec![false; tables.len()];
    let mut out = Vec::with_capacity(tables.len());
    while out.len() < tables.len() {
        let next = (0..tables.len())
            .find(|&i| {
                !placed[i]
                    && graph
                        .neighbors_directed(i, petgraph::Direction::Incoming)
                        .all(|p| placed[p])
            })
            .unwrap_or(order[out.len()]);
        placed[next] = true;
        out.push(tables[next].clone());
    }
    Ok(out)
}

/// Breaks every cycle of grouping foreign keys: in each, the one with the fewest
/// children per parent (a store's manager: at most one store per staff member, against
/// several staff per store) becomes a second parent ([`Role::Reference`]); a tie goes to
/// the one declared later.
pub fn break_grouping_cycles(relationships: &mut [Relationship]) {
    loop {
        let weakest = {
            let mut graph = DiGraphMap::<&str, usize>::new();
            for (k, r) in relationships.iter().enumerate() {
                if r.role == Role::Grouping && r.parent_table != r.child_table {
                    graph.add_edge(r.parent_table.as_str(), r.child_table.as_str(), k);
                }
            }
            let Some(cycle) = tarjan_scc(&graph).into_iter().find(|scc| scc.len() > 1) else {
                return;
            };
            graph
                .all_edges()
                .filter(|(p, c, _)| cycle.contains(p) && cycle.contains(c))
                .map(|(_, _, &k)| k)
                .min_by(|&a, &b| {
                    let mean = |k: usize| relationships[k].fanout.mean();
                    mean(a).total_cmp(&mean(b)).then(b.cmp(&a))
                })
        };
        match weakest {
            Some(k) => relationships[k].role = Role::Reference,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cardinality;
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
            among_children: None,
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

    fn grouping(parent: &str, child: &str, mean: u32) -> Relationship {
        Relationship {
            role: Role::Grouping,
            fanout: Frequencies::from_counts([(mean, 1)]).unwrap(),
            ..rel(parent, child, false)
        }
    }

    #[test]
    fn cycles_are_broken_on_picking_keys_and_grouping_ones_rejected() {
        // Nullable, then NOT NULL second parents give way to grouping keys.
        for second_nullable in [true, false] {
            let order = generation_order(
                &names(&["B", "A"]),
                &[rel("B", "A", second_nullable), grouping("A", "B", 3)],
            )
            .unwrap();
            assert_eq!(order, names(&["A", "B"]));
        }
        let err = generation_order(
            &names(&["A", "B"]),
            &[grouping("A", "B", 3), grouping("B", "A", 1)],
        )
        .unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
    }

    #[test]
    fn a_grouping_cycle_keeps_its_richest_keys() {
        // STORE → STAFF (4 staff per store), STAFF → STORE (a manager: ¼ store per
        // staff member), and a three-table cycle whose weakest key is C → A.
        let mut rels = vec![
            grouping("STAFF", "STORE", 0),
            grouping("STORE", "STAFF", 4),
            grouping("A", "B", 2),
            grouping("B", "C", 5),
            grouping("C", "A", 1),
        ];
        break_grouping_cycles(&mut rels);
        let roles: Vec<Role> = rels.iter().map(|r| r.role).collect();
        assert_eq!(
            roles,
            [
                Role::Reference,
                Role::Grouping,
                Role::Grouping,
                Role::Grouping,
                Role::Reference
            ]
        );
        let tables = names(&["STORE", "STAFF", "A", "B", "C"]);
        let order = generation_order(&tables, &rels).unwrap();
        assert_eq!(order, names(&["STORE", "STAFF", "A", "B", "C"]));
    }
}
