//! Who is who: the contract identifies a person by email where rows give one, otherwise by name.
//!
//! Two uses need two answers:
//! - looking up a contributor's employments applies the contract's pairwise rule literally
//!   ([`Identities::matching`]): two rows are the same person if both have an email and the emails
//!   are equal, or if at least one has none and the names are equal;
//! - caps, blocks and thresholds need one partition of rows into people ([`Identities::person`]):
//!   one person per email; a row without email joins the only email its name is known with, or else
//!   stands for a person known by name alone.

use crate::model::{name_key, Person};
use std::collections::HashMap;

pub struct Identities {
    person: Vec<u32>,
    matching: Vec<Vec<u32>>,
}

impl Identities {
    /// `rows[i]` is how row `i` names a contributor (index = contributor id in the book).
    pub fn new(rows: &[Person]) -> Identities {
        let emails: Vec<String> = rows.iter().map(|p| p.email.trim().to_lowercase()).collect();
        let names: Vec<String> = rows.iter().map(|p| name_key(&p.name)).collect();
        let mut by_email: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut by_name: HashMap<&str, Vec<u32>> = HashMap::new();
        for i in 0..rows.len() {
            if !emails[i].is_empty() {
                by_email.entry(&emails[i]).or_default().push(i as u32);
            }
            by_name.entry(&names[i]).or_default().push(i as u32);
        }
        let mut keys: HashMap<String, u32> = HashMap::new();
        let mut person = Vec::with_capacity(rows.len());
        let mut matching = Vec::with_capacity(rows.len());
        for i in 0..rows.len() {
            let same_name = &by_name[names[i].as_str()];
            let key = if !emails[i].is_empty() {
                format!("@{}", emails[i])
            } else {
                let mut known: Vec<&str> =
                    same_name.iter().map(|&j| emails[j as usize].as_str()).filter(|e| !e.is_empty()).collect();
                known.sort_unstable();
                known.dedup();
                match known.as_slice() {
                    [only] => format!("@{only}"),
                    _ => format!("#{}", names[i]),
                }
            };
            let next = keys.len() as u32;
            person.push(*keys.entry(key).or_insert(next));
            let mut same: Vec<u32> = if emails[i].is_empty() {
                same_name.clone()
            } else {
                let mut same = by_email[emails[i].as_str()].clone();
                same.extend(same_name.iter().filter(|&&j| emails[j as usize].is_empty()));
                same
            };
            same.sort_unstable();
            same.dedup();
            matching.push(same);
        }
        Identities { person, matching }
    }

    /// The person that contributor row `row` stands for, for caps, blocks and thresholds.
    pub fn person(&self, row: u32) -> u32 {
        self.person[row as usize]
    }

    /// The contributor rows that the contract's pairwise rule says are the same person as `row`.
    pub fn matching(&self, row: u32) -> &[u32] {
        &self.matching[row as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, email: &str) -> Person {
        Person { name: name.into(), email: email.into() }
    }

    #[test]
    fn email_first_then_name() {
        let rows = [p("Ada", "ada@x.org"), p(" ada ", ""), p("Ada L.", "ADA@x.org"), p("Bob", ""), p("bob", "")];
        let ids = Identities::new(&rows);
        assert_eq!(ids.person(0), ids.person(1));
        assert_eq!(ids.person(0), ids.person(2));
        assert_eq!(ids.person(3), ids.person(4));
        assert_ne!(ids.person(0), ids.person(3));
        assert_eq!(ids.matching(1), &[0, 1]);
        assert_eq!(ids.matching(0), &[0, 1, 2]);
    }

    #[test]
    fn a_name_with_two_emails_stays_apart() {
        let rows = [p("Sam", "sam@a.org"), p("Sam", "sam@b.org"), p("Sam", "")];
        let ids = Identities::new(&rows);
        assert_ne!(ids.person(0), ids.person(1));
        assert_ne!(ids.person(2), ids.person(0));
        assert_ne!(ids.person(2), ids.person(1));
        // Pairwise, the email-less row matches both by name; the two emails do not match each other.
        assert_eq!(ids.matching(2), &[0, 1, 2]);
        assert_eq!(ids.matching(0), &[0, 2]);
    }
}
