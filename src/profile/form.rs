//! A profile as the app's wizard edits it: every directive's value as its text writes it, so that
//! the text format stays the one definition of what a profile may say. A form becomes a profile
//! by being written as text and read back ([`ProfileForm::profile`]).

use super::{Field, Makes, Profile, Sniffed};
use crate::ledger::LedgerError;

/// Every directive's value as text (empty: not given, the default), the columns and type lines.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileForm {
    pub name: String,
    /// `payments` or `deposits`.
    pub makes: String,
    pub header: String,
    pub skip: String,
    /// `,` `;` `|` or `tab`.
    pub separator: String,
    pub encoding: String,
    pub date_format: String,
    pub decimal_mark: String,
    /// `none`, `,` `.` `space` or `'`.
    pub thousands: String,
    pub currency: String,
    pub payer: String,
    pub account: String,
    pub columns: Vec<ProfileColumn>,
    pub types: Vec<ProfileType>,
}

/// `column FIELD NAME`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileColumn {
    pub field: String,
    /// The column's name in the file's header.
    pub column: String,
}

/// `type MEANING VALUE`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileType {
    /// `match`, `gift` or `skip`.
    pub meaning: String,
    pub value: String,
}

/// A field a profile's column may hold, for the wizard to offer.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChoice {
    pub field: String,
    /// `payments`, `deposits` or both.
    pub makes: Vec<String>,
}

impl ProfileForm {
    /// The form of a saved profile.
    pub fn of(profile: &Profile) -> ProfileForm {
        let mut form = ProfileForm::default();
        for line in profile.to_text().lines().filter(|l| !l.starts_with('#')) {
            let (word, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let value = value.trim().to_string();
            match word {
                "profile" => form.name = value,
                "makes" => form.makes = value,
                "header" => form.header = value,
                "skip" => form.skip = value,
                "separator" => form.separator = value,
                "encoding" => form.encoding = value,
                "date-format" => form.date_format = value,
                "decimal-mark" => form.decimal_mark = value,
                "thousands" => form.thousands = value,
                "currency" => form.currency = value,
                "payer" => form.payer = value,
                "account" => form.account = value,
                "column" => {
                    let (field, column) = value.split_once(char::is_whitespace).unwrap_or((&value, ""));
                    form.columns.push(ProfileColumn { field: field.into(), column: column.trim().into() });
                }
                "type" => {
                    let (meaning, value) = value.split_once(char::is_whitespace).unwrap_or((&value, ""));
                    form.types.push(ProfileType { meaning: meaning.into(), value: value.trim().into() });
                }
                _ => {}
            }
        }
        form
    }

    /// A first form for a file [`super::sniff`] looked at: what it guessed, and no columns yet.
    pub fn draft(name: &str, makes: Makes, sniffed: &Sniffed) -> ProfileForm {
        ProfileForm::of(&Profile::draft(name, makes, sniffed))
    }

    /// The profile's text: one line a value given, blank values left out.
    pub fn text(&self) -> String {
        let mut text = String::from("# Matchbook import profile\n");
        let mut line = |directive: &str, value: &str| {
            // A line break would start another directive: the value is refused as written.
            let value = value.trim().replace(['\n', '\r'], "\u{FFFD}");
            if !value.is_empty() {
                text.push_str(&format!("{directive} {value}\n"));
            }
        };
        line("profile", &self.name);
        line("makes", &self.makes);
        line("header", &self.header);
        line("skip", &self.skip);
        line("separator", &self.separator);
        line("encoding", &self.encoding);
        line("date-format", &self.date_format);
        line("decimal-mark", &self.decimal_mark);
        line("thousands", &self.thousands);
        line("currency", &self.currency);
        line("payer", &self.payer);
        line("account", &self.account);
        for c in self.columns.iter().filter(|c| !c.column.trim().is_empty()) {
            line("column", &format!("{} {}", c.field.trim(), c.column.trim()));
        }
        for t in self.types.iter().filter(|t| !t.value.trim().is_empty()) {
            line("type", &format!("{} {}", t.meaning.trim(), t.value.trim()));
        }
        text
    }

    /// The profile the form says, or every problem, each naming the directive (the lines of a
    /// text the user never saw are left out).
    pub fn profile(&self) -> Result<Profile, Vec<LedgerError>> {
        let values = [
            ("profile", &self.name),
            ("header", &self.header),
            ("date-format", &self.date_format),
            ("currency", &self.currency),
            ("payer", &self.payer),
            ("account", &self.account),
        ];
        let columns = self.columns.iter().map(|c| ("column", &c.column));
        let types = self.types.iter().map(|t| ("type", &t.value));
        let broken: Vec<LedgerError> = values
            .into_iter()
            .chain(columns)
            .chain(types)
            .filter(|(_, v)| v.contains(['\n', '\r']))
            .map(|(directive, v)| LedgerError {
                file: "the profile".into(),
                line: None,
                column: None,
                message: format!("{directive}'s value {v:?} holds a line break; a value is one line"),
            })
            .collect();
        if !broken.is_empty() {
            return Err(broken);
        }
        Profile::parse("the profile", &self.text())
            .map_err(|errors| errors.into_iter().map(|e| LedgerError { line: None, ..e }).collect())
    }

    /// The fields a column may hold, in the order profiles list them.
    pub fn field_choices() -> Vec<FieldChoice> {
        Field::ALL
            .iter()
            .map(|f| FieldChoice {
                field: f.name().into(),
                makes: [Makes::Payments, Makes::Deposits]
                    .into_iter()
                    .filter(|m| f.is_for(*m))
                    .map(|m| m.name().to_string())
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_profile_and_its_form_say_the_same() {
        let text = include_str!("../../tests/data/profiles/yourcause.profile");
        let profile = Profile::parse("yourcause.profile", text).unwrap();
        let form = ProfileForm::of(&profile);
        assert_eq!(form.separator, ";");
        assert_eq!(form.thousands, ".");
        assert_eq!(form.columns[0], ProfileColumn { field: "date".into(), column: "Payment Date".into() });
        assert_eq!(form.types[0], ProfileType { meaning: "match".into(), value: "Matching Gift".into() });
        assert_eq!(form.profile().unwrap(), profile);
    }

    #[test]
    fn a_draft_lacks_its_columns_and_says_so_by_directive() {
        let sniffed = super::super::sniff(b"Date,Amount,Fund\n2025-01-02,1.00,Lumen\n");
        let form = ProfileForm::draft("Giving Fund", Makes::Payments, &sniffed);
        assert_eq!(form.header, "Date,Amount,Fund");
        let errors = form.profile().unwrap_err();
        assert!(errors.iter().all(|e| e.line.is_none()), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("column date")), "{errors:?}");
        // Blank columns are left out; a value with a line break cannot sneak in a directive.
        let mut form = form;
        form.columns = vec![
            ProfileColumn { field: "date".into(), column: "Date".into() },
            ProfileColumn { field: "amount".into(), column: "Amount".into() },
            ProfileColumn { field: "project".into(), column: "Fund".into() },
            ProfileColumn { field: "reference".into(), column: " ".into() },
        ];
        form.currency = "USD".into();
        form.payer = "Giving Fund\ncolumn net Amount".into();
        assert!(form.profile().is_err());
        form.payer = "PayPal Giving Fund".into();
        let profile = form.profile().unwrap();
        assert_eq!(profile.columns.len(), 3);
        assert_eq!(profile.payer.as_deref(), Some("PayPal Giving Fund"));
    }
}
