//! Faker providers for `pii` columns, under the names of Python's Faker library that
//! users' privacy.yaml files already contain. Every value is drawn from the caller's
//! seeded RNG; nothing here ever sees a sample value.

use crate::value::{LogicalType, Value, days_from_date};
use fake::Fake;
use fake::faker::{address::en as addr, company::en as company, creditcard::en as card};
use fake::faker::{finance::en as finance, internet::en as net, job::en as job};
use fake::faker::{name::en as name, phone_number::en as phone};
use rand::RngExt;

/// A known provider: its Faker name and the type it produces.
#[derive(Debug)]
pub struct Provider {
    /// The Python Faker name.
    pub name: &'static str,
    /// Date providers produce dates; all others text.
    pub output: LogicalType,
    /// The longest value it produces (for VARCHAR2 sizing).
    pub max_length: u32,
}

const fn text(name: &'static str, max_length: u32) -> Provider {
    Provider {
        name,
        output: LogicalType::Text,
        max_length,
    }
}

/// Every provider bank_synth knows, sorted by name.
pub const PROVIDERS: &[Provider] = &[
    text("address", 200),
    text("bic", 11),
    text("city", 60),
    text("company", 120),
    text("country", 60),
    text("country_code", 2),
    text("credit_card_number", 19),
    Provider {
        name: "date_of_birth",
        output: LogicalType::Date,
        max_length: 10,
    },
    text("email", 120),
    text("first_name", 60),
    text("free_email", 120),
    text("iban", 34),
    text("ipv4", 15),
    text("job", 100),
    text("last_name", 60),
    text("name", 120),
    text("phone_number", 30),
    text("postcode", 10),
    text("safe_email", 120),
    text("ssn", 11),
    text("state", 40),
    text("street_address", 120),
    text("swift", 11),
    text("user_name", 60),
    text("uuid4", 36),
    text("zipcode", 10),
];

/// Looks a provider up by its Faker name (case-insensitive).
pub fn provider(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// The provider a column name suggests (`EMAIL` → email, `SSN` → ssn), for `pii`
/// columns whose policy names none.
pub fn infer_provider(column: &str) -> Option<&'static Provider> {
    let c = column.to_ascii_lowercase();
    let guess = match c.as_str() {
        "ssn" | "social_security_number" | "national_id" | "tax_id" => "ssn",
        "dob" | "birth_date" | "date_of_birth" => "date_of_birth",
        "phone" | "mobile" | "phone_number" | "telephone" => "phone_number",
        "zip" | "zip_code" | "postal_code" => "postcode",
        "full_name" | "customer_name" => "name",
        _ if c.contains("email") => "email",
        _ if c.contains("first_name") || c == "given_name" => "first_name",
        _ if c.contains("last_name") || c == "surname" || c == "family_name" => "last_name",
        _ if c.contains("address") => "address",
        _ if c.contains("iban") => "iban",
        other => other,
    };
    provider(guess)
}

/// The names of all providers, for error messages.
pub fn provider_names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.name).collect()
}

/// Draws one value of provider `name` (which must be known) from `rng`.
pub fn generate<R: RngExt>(name: &str, rng: &mut R) -> Value {
    let s: String = match name {
        "first_name" => name::FirstName().fake_with_rng(rng),
        "last_name" => name::LastName().fake_with_rng(rng),
        "name" => name::Name().fake_with_rng(rng),
        "email" | "free_email" => email(rng, None),
        "safe_email" => email(rng, Some(["example.com", "example.org", "example.net"])),
        "user_name" => net::Username().fake_with_rng(rng),
        "phone_number" => phone::PhoneNumber().fake_with_rng(rng),
        "ssn" => ssn(rng),
        "address" => {
            let street = street_address(rng);
            let city: String = addr::CityName().fake_with_rng(rng);
            let state: String = addr::StateAbbr().fake_with_rng(rng);
            let zip: String = addr::ZipCode().fake_with_rng(rng);
            format!("{street}, {city}, {state} {zip}")
        }
        "street_address" => street_address(rng),
        "city" => addr::CityName().fake_with_rng(rng),
        "state" => addr::StateName().fake_with_rng(rng),
        "postcode" | "zipcode" => addr::ZipCode().fake_with_rng(rng),
        "country" => addr::CountryName().fake_with_rng(rng),
        "country_code" => addr::CountryCode().fake_with_rng(rng),
        "company" => company::CompanyName().fake_with_rng(rng),
        "job" => job::Title().fake_with_rng(rng),
        "iban" => iban(rng),
        "bic" | "swift" => finance::Bic().fake_with_rng(rng),
        "credit_card_number" => card::CreditCardNumber().fake_with_rng(rng),
        "ipv4" => net::IPv4().fake_with_rng(rng),
        "uuid4" => uuid4(rng),
        "date_of_birth" => {
            let reference = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
            let age_days = rng.random_range(18 * 365..90 * 365);
            return Value::Date(days_from_date(reference) - age_days);
        }
        other => unreachable!("unknown faker provider `{other}` passed validation"),
    };
    Value::Str(s)
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
    fn every_provider_generates_deterministically() {
        let streams = Streams::new(7, "pii", "T");
        for p in PROVIDERS {
            let a = generate(p.name, &mut streams.at(1));
            let b = generate(p.name, &mut streams.at(1));
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
    fn generated_ibans_and_ssns_are_well_formed() {
        let streams = Streams::new(1, "pii", "T");
        for i in 0..200 {
            let Value::Str(iban) = generate("iban", &mut streams.at(i)) else {
                panic!()
            };
            assert!(iban_valid(&iban), "{iban}");
            let Value::Str(ssn) = generate("ssn", &mut streams.at(i)) else {
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
    }
}
