//! Faker providers for `pii` columns, under the names of Python's Faker library that
//! users' privacy.yaml files already contain. Every value is drawn from the caller's
//! seeded RNG; nothing here ever sees a sample value.

use crate::value::{CompactString, LogicalType, Value, days_from_date};
use fake::Fake;
use fake::faker::{address::en as addr, company::en as company, creditcard::en as card};
use fake::faker::{finance::en as finance, internet::en as net, job::en as job};
use fake::faker::{name::en as name, phone_number::en as phone};
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// A faker provider bank_synth knows, spelled in model packs as Python's Faker names it
/// (`first_name`, `uuid4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Kind {
    Address,
    Bic,
    City,
    Company,
    Country,
    CountryCode,
    CreditCardNumber,
    DateOfBirth,
    Email,
    FirstName,
    FreeEmail,
    Iban,
    Ipv4,
    Job,
    LastName,
    Name,
    PhoneNumber,
    Postcode,
    SafeEmail,
    Ssn,
    State,
    StreetAddress,
    Swift,
    UserName,
    Uuid4,
    Zipcode,
}

impl Kind {
    /// What bank_synth knows of the provider.
    pub fn provider(self) -> &'static Provider {
        PROVIDERS
            .iter()
            .find(|p| p.kind == self)
            .expect("PROVIDERS lists every kind")
    }

    /// The provider's Faker name.
    pub fn name(self) -> &'static str {
        self.provider().name
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A known provider: its Faker name and the type it produces.
#[derive(Debug)]
pub struct Provider {
    /// Which provider.
    pub kind: Kind,
    /// The Python Faker name.
    pub name: &'static str,
    /// Date providers produce dates; all others text.
    pub output: LogicalType,
    /// The longest value it produces (for VARCHAR2 sizing).
    pub max_length: u32,
}

const fn text(kind: Kind, name: &'static str, max_length: u32) -> Provider {
    Provider {
        kind,
        name,
        output: LogicalType::Text,
        max_length,
    }
}

/// Every provider bank_synth knows, sorted by name.
pub const PROVIDERS: &[Provider] = &[
    text(Kind::Address, "address", 200),
    text(Kind::Bic, "bic", 11),
    text(Kind::City, "city", 60),
    text(Kind::Company, "company", 120),
    text(Kind::Country, "country", 60),
    text(Kind::CountryCode, "country_code", 2),
    text(Kind::CreditCardNumber, "credit_card_number", 19),
    Provider {
        kind: Kind::DateOfBirth,
        name: "date_of_birth",
        output: LogicalType::Date,
        max_length: 10,
    },
    text(Kind::Email, "email", 120),
    text(Kind::FirstName, "first_name", 60),
    text(Kind::FreeEmail, "free_email", 120),
    text(Kind::Iban, "iban", 34),
    text(Kind::Ipv4, "ipv4", 15),
    text(Kind::Job, "job", 100),
    text(Kind::LastName, "last_name", 60),
    text(Kind::Name, "name", 120),
    text(Kind::PhoneNumber, "phone_number", 30),
    text(Kind::Postcode, "postcode", 10),
    text(Kind::SafeEmail, "safe_email", 120),
    text(Kind::Ssn, "ssn", 11),
    text(Kind::State, "state", 40),
    text(Kind::StreetAddress, "street_address", 120),
    text(Kind::Swift, "swift", 11),
    text(Kind::UserName, "user_name", 60),
    text(Kind::Uuid4, "uuid4", 36),
    text(Kind::Zipcode, "zipcode", 10),
];

/// Looks a provider up by its Faker name (case-insensitive).
pub fn provider(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// The provider a column name suggests (`EMAIL` → email, `SSN` → ssn), for `pii`
/// columns whose policy names none.
pub fn infer_provider(column: &str) -> Option<&'static Provider> {
    personal_provider(column).or_else(|| provider(&column.to_ascii_lowercase()))
}

/// The provider of personal data a column's name says it holds (EMAIL, FIRST_NAME,
/// SSN, PHONE, ADDRESS…), from the names people give such columns — not from provider
/// names alone, so CITY or NAME (a branch's city, a track's name) say nothing.
pub fn personal_provider(column: &str) -> Option<&'static Provider> {
    // Without separators, so `FirstName` (read as FIRSTNAME) and `first_name` match alike.
    let c: String = column
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let guess = match c.as_str() {
        "ssn" | "socialsecuritynumber" | "nationalid" | "taxid" => "ssn",
        "dob" | "birthdate" | "dateofbirth" => "date_of_birth",
        "phone" | "mobile" | "phonenumber" | "telephone" | "homephone" | "fax" => "phone_number",
        "zip" | "zipcode" | "postalcode" | "postcode" => "postcode",
        "fullname" | "customername" | "contactname" => "name",
        "username" | "login" => "user_name",
        _ if c.contains("email") => "email",
        _ if c.contains("firstname") || c == "givenname" => "first_name",
        _ if c.contains("lastname") || c == "surname" || c == "familyname" => "last_name",
        _ if c.contains("address") => "address",
        _ if c.contains("iban") => "iban",
        _ => return None,
    };
    provider(guess)
}

/// The names of all providers, for error messages.
pub fn provider_names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.name).collect()
}

/// Draws one value of provider `kind` from `rng`.
pub fn generate<R: RngExt>(kind: Kind, rng: &mut R) -> Value {
    let s: String = match kind {
        Kind::FirstName => name::FirstName().fake_with_rng(rng),
        Kind::LastName => name::LastName().fake_with_rng(rng),
        Kind::Name => name::Name().fake_with_rng(rng),
        Kind::Email | Kind::FreeEmail => email(rng, None),
        Kind::SafeEmail => email(rng, Some(["example.com", "example.org", "example.net"])),
        Kind::UserName => net::Username().fake_with_rng(rng),
        Kind::PhoneNumber => phone::PhoneNumber().fake_with_rng(rng),
        Kind::Ssn => ssn(rng),
        Kind::Address => {
            let street = street_address(rng);
            let city: String = addr::CityName().fake_with_rng(rng);
            let state: String = addr::StateAbbr().fake_with_rng(rng);
            let zip: String = addr::ZipCode().fake_with_rng(rng);
            format!("{street}, {city}, {state} {zip}")
        }
        Kind::StreetAddress => street_address(rng),
        Kind::City => addr::CityName().fake_with_rng(rng),
        Kind::State => addr::StateName().fake_with_rng(rng),
        Kind::Postcode | Kind::Zipcode => addr::ZipCode().fake_with_rng(rng),
        Kind::Country => addr::CountryName().fake_with_rng(rng),
        Kind::CountryCode => addr::CountryCode().fake_with_rng(rng),
        Kind::Company => company::CompanyName().fake_with_rng(rng),
        Kind::Job => job::Title().fake_with_rng(rng),
        Kind::Iban => iban(rng),
        Kind::Bic | Kind::Swift => finance::Bic().fake_with_rng(rng),
        Kind::CreditCardNumber => card::CreditCardNumber().fake_with_rng(rng),
        Kind::Ipv4 => net::IPv4().fake_with_rng(rng),
        Kind::Uuid4 => uuid4(rng),
        Kind::DateOfBirth => {
            let reference = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
            let age_days = rng.random_range(18 * 365..90 * 365);
            return Value::Date(days_from_date(reference) - age_days);
        }
    };
    Value::Str(s.into())
}

/// The made-up person behind one row's pii columns: the names every name, email and
/// user-name column of the row is made from, and numbers unique to the row (keyed
/// bijections of its index) for the identifiers that must not repeat.
#[derive(Debug, Clone, PartialEq)]
pub struct Persona {
    /// Given name.
    pub first: String,
    /// Family name.
    pub last: String,
    /// A number no other row of the table has (in emails and user names).
    pub number: u64,
    /// A position in the SSN space no other row has (below [`SSN_SPACE`]).
    pub ssn: u64,
}

/// How many distinct SSNs there are (areas 001–899 without 666, groups 01–99, serials
/// 0001–9999).
pub const SSN_SPACE: u64 = 898 * 99 * 9999;

impl Persona {
    /// A person drawn from `rng`, with the row's unique numbers.
    pub fn new<R: RngExt>(rng: &mut R, number: u64, ssn: u64) -> Persona {
        Persona {
            first: name::FirstName().fake_with_rng(rng),
            last: name::LastName().fake_with_rng(rng),
            number,
            ssn,
        }
    }
}

/// Does provider `kind` take its value from the row's [`Persona`]?
pub fn uses_persona(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::FirstName
            | Kind::LastName
            | Kind::Name
            | Kind::Email
            | Kind::FreeEmail
            | Kind::SafeEmail
            | Kind::UserName
            | Kind::Ssn
    )
}

/// Draws one value of provider `name` for the row whose person is `persona`: names
/// are the person's, emails and user names are made from them, SSNs and emails are
/// unique in the table.
pub fn generate_for<R: RngExt>(kind: Kind, rng: &mut R, persona: &Persona) -> Value {
    let ascii = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let (first, last) = (ascii(&persona.first), ascii(&persona.last));
    Value::Str(CompactString::from(match kind {
        Kind::FirstName => persona.first.clone(),
        Kind::LastName => persona.last.clone(),
        Kind::Name => format!("{} {}", persona.first, persona.last),
        Kind::Email | Kind::FreeEmail | Kind::SafeEmail => {
            let domain: String = if kind == Kind::SafeEmail {
                ["example.com", "example.org", "example.net"][rng.random_range(0..3)].to_string()
            } else {
                net::FreeEmailProvider().fake_with_rng(rng)
            };
            format!("{first}.{last}{}@{domain}", persona.number)
        }
        Kind::UserName => format!(
            "{}{last}{}",
            first.chars().next().unwrap_or('x'),
            persona.number
        ),
        Kind::Ssn => ssn_at(persona.ssn),
        other => return generate(other, rng),
    }))
}

/// The SSN at position `k` of the SSN space (wrapping past [`SSN_SPACE`]).
fn ssn_at(k: u64) -> String {
    let k = k % SSN_SPACE;
    let mut area = k / (99 * 9999) + 1;
    if area >= 666 {
        area += 1;
    }
    let group = (k / 9999) % 99 + 1;
    let serial = k % 9999 + 1;
    format!("{area:03}-{group:02}-{serial:04}")
}

fn email<R: RngExt>(rng: &mut R, domains: Option<[&str; 3]>) -> String {
    let first: String = name::FirstName().fake_with_rng(rng);
    let last: String = name::LastName().fake_with_rng(rng);
    let n: u16 = rng.random_range(1..1000);
    let domain = match domains {
        Some(d) => d[rng.random_range(0..d.len())].to_string(),
        None => net::FreeEmailProvider().fake_with_rng(rng),
    };
    let local: String = format!("{first}.{last}{n}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    format!("{}@{domain}", local.to_ascii_lowercase())
}

fn street_address<R: RngExt>(rng: &mut R) -> String {
    let number: String = addr::BuildingNumber().fake_with_rng(rng);
    let street: String = addr::StreetName().fake_with_rng(rng);
    let suffix: String = addr::StreetSuffix().fake_with_rng(rng);
    format!("{number} {street} {suffix}")
}

/// A US social security number in a valid range (area 001-899 except 666).
fn ssn<R: RngExt>(rng: &mut R) -> String {
    let mut area = rng.random_range(1..900);
    if area == 666 {
        area = 665;
    }
    let group = rng.random_range(1..100);
    let serial = rng.random_range(1..10000);
    format!("{area:03}-{group:02}-{serial:04}")
}

/// A GB IBAN with valid check digits.
fn iban<R: RngExt>(rng: &mut R) -> String {
    let bank: String = (0..4)
        .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
        .collect();
    let account: String = (0..14)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    let bban = format!("{bank}{account}");
    format!("GB{}{bban}", crate::format::iban_check_digits("GB", &bban))
}

fn uuid4<R: RngExt>(rng: &mut R) -> String {
    let hi: u64 = rng.random();
    let lo: u64 = rng.random();
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::iban_valid;
    use crate::rng::Streams;

    #[test]
    fn every_kind_has_its_entry_under_its_serde_name() {
        for p in PROVIDERS {
            assert_eq!(p.kind.provider().name, p.name);
            let spelled = serde_json::to_string(&p.kind).unwrap();
            assert_eq!(spelled, format!("\"{}\"", p.name));
            assert_eq!(
                provider(&p.name.to_uppercase()).map(|q| q.kind),
                Some(p.kind)
            );
        }
        assert_eq!(PROVIDERS.len(), 26, "one entry per kind");
    }

    #[test]
    fn every_provider_generates_deterministically() {
        let streams = Streams::new(7, "pii", "T");
        for p in PROVIDERS {
            let a = generate(p.kind, &mut streams.at(1));
            let b = generate(p.kind, &mut streams.at(1));
            assert_eq!(a, b, "{}", p.name);
            match (&a, p.output) {
                (Value::Str(s), LogicalType::Text) => {
                    assert!(
                        !s.is_empty() && s.chars().count() as u32 <= p.max_length,
                        "{}: {s}",
                        p.name
                    )
                }
                (Value::Date(_), LogicalType::Date) => {}
                other => panic!("{}: unexpected {other:?}", p.name),
            }
        }
    }

    #[test]
    fn a_persona_makes_one_person_with_unique_identifiers() {
        let mut seen = std::collections::HashSet::new();
        for k in [0, 1, 665 * 99 * 9999, SSN_SPACE - 1] {
            let ssn = ssn_at(k);
            assert!(!ssn.starts_with("000") && !ssn.starts_with("666"), "{ssn}");
            assert!(seen.insert(ssn));
        }
        let streams = Streams::new(3, "persona", "T");
        let persona = Persona::new(&mut streams.at(0), 417, 12);
        let email = generate_for(Kind::Email, &mut streams.at(1), &persona);
        let Value::Str(email) = email else { panic!() };
        let local = email.split('@').next().unwrap();
        assert_eq!(
            local,
            format!(
                "{}.{}417",
                persona
                    .first
                    .to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                persona
                    .last
                    .to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            )
        );
        assert_eq!(
            generate_for(Kind::Name, &mut streams.at(2), &persona),
            Value::Str(format!("{} {}", persona.first, persona.last).into())
        );
    }

    #[test]
    fn generated_ibans_and_ssns_are_well_formed() {
        let streams = Streams::new(1, "pii", "T");
        for i in 0..200 {
            let Value::Str(iban) = generate(Kind::Iban, &mut streams.at(i)) else {
                panic!()
            };
            assert!(iban_valid(&iban), "{iban}");
            let Value::Str(ssn) = generate(Kind::Ssn, &mut streams.at(i)) else {
                panic!()
            };
            assert!(!ssn.starts_with("666") && !ssn.starts_with("000") && ssn.len() == 11);
        }
    }

    #[test]
    fn providers_are_inferred_from_column_names() {
        assert_eq!(infer_provider("EMAIL").unwrap().name, "email");
        assert_eq!(infer_provider("FIRST_NAME").unwrap().name, "first_name");
        assert_eq!(infer_provider("SSN").unwrap().name, "ssn");
        assert!(infer_provider("BALANCE").is_none());
        // Names written without separators (read from `FirstName`, `HomePhone`).
        assert_eq!(infer_provider("FIRSTNAME").unwrap().name, "first_name");
        assert_eq!(infer_provider("HOMEPHONE").unwrap().name, "phone_number");
        assert_eq!(infer_provider("POSTALCODE").unwrap().name, "postcode");
    }
}
