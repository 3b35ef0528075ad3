//! Renders a program's [`ProgramSpec`] as Anchor IDL JSON (spec 0.1.0), the format
//! `@coral-xyz/anchor` 0.32's `Program`, `BorshCoder` and `EventParser` read.

use hourglass_core::discriminator;
use hourglass_core::idl::{Field, ProgramSpec, Ty};
use serde_json::{json, Value};

/// Every program whose IDL lives in client/idl/, with its file name.
pub fn programs() -> Vec<(&'static str, ProgramSpec)> {
    vec![
        ("hourglass_staking.json", hourglass_staking_interface::SPEC),
        ("hourglass_leases.json", hourglass_leases::interface::SPEC),
        ("hourglass_rewards.json", hourglass_rewards::interface::SPEC),
    ]
}

/// One IDL constant: `{ name, type, value }` with the value as a string, as Anchor writes it.
fn constant(name: &str, ty: Value, value: String) -> Value {
    json!({ "name": name, "type": ty, "value": value })
}

/// An integer constant of an Anchor integer type.
fn int(name: &str, ty: &str, v: impl Into<i128>) -> Value {
    constant(name, json!(ty), v.into().to_string())
}

/// A `usize` constant (lengths, limits) as a u32, the type TypeScript reads as a number.
fn len(name: &str, v: usize) -> Value {
    int(name, "u32", u32::try_from(v).expect("a length constant fits a u32"))
}

/// A PDA seed: Anchor's `bytes` constant, the value a list of byte values.
fn seed(name: &str, bytes: &[u8]) -> Value {
    constant(name, json!("bytes"), format!("{bytes:?}"))
}

/// A group of `u8` codes (a Rust module of constants such as `device_status`): `PREFIX_MEMBER` each.
fn codes(prefix: &str, members: &[(&str, u8)]) -> Vec<Value> {
    members.iter().map(|(m, v)| int(&format!("{prefix}_{m}"), "u8", *v)).collect()
}

/// The constants of one program's IDL, from its interface crate.
pub fn constants(program: &str) -> Vec<Value> {
    match program {
        "hourglass_staking" => staking_constants(),
        "hourglass_leases" => leases_constants(),
        "hourglass_rewards" => rewards_constants(),
        other => panic!("no constants for {other}"),
    }
}

fn staking_constants() -> Vec<Value> {
    use hourglass_staking_interface::seeds;
    use hourglass_staking_interface::state::{self as s, device_status, slash_reason};
    let mut c = vec![
        seed("CONFIG_SEED", seeds::CONFIG),
        seed("STAKE_VAULT_SEED", seeds::STAKE_VAULT),
        seed("GPU_TIER_SEED", seeds::GPU_TIER),
        seed("CO_STAKE_SEED", seeds::CO_STAKE),
        seed("SLASH_PROPOSAL_SEED", seeds::SLASH_PROPOSAL),
        int("BPS", "u64", s::BPS),
        int("STAKE_PER_GPU_TOKENS", "u64", s::STAKE_PER_GPU_TOKENS),
        int("DEFAULT_UNBONDING_SECONDS", "i64", s::DEFAULT_UNBONDING_SECONDS),
        int("MIN_UNBONDING_SECONDS", "i64", s::MIN_UNBONDING_SECONDS),
        int("MAX_UNBONDING_SECONDS", "i64", s::MAX_UNBONDING_SECONDS),
        int("DEFAULT_SLASH_DELAY_SECONDS", "i64", s::DEFAULT_SLASH_DELAY_SECONDS),
        int("MIN_SLASH_DELAY_SECONDS", "i64", s::MIN_SLASH_DELAY_SECONDS),
        int("CO_FACTOR_ONE", "u64", s::CO_FACTOR_ONE),
        int("CO_FACTOR_MIN", "u64", s::CO_FACTOR_MIN),
        len("MAX_ATTESTERS", s::MAX_ATTESTERS),
        int("MAX_GPUS", "u16", s::MAX_GPUS),
        int("MAX_BANDWIDTH_TIER", "u8", s::MAX_BANDWIDTH_TIER),
        int("MAX_MULTIPLIER_BPS", "u32", s::MAX_MULTIPLIER_BPS),
    ];
    c.extend(codes("DEVICE_STATUS", &[("ACTIVE", device_status::ACTIVE), ("PAUSED", device_status::PAUSED), ("LEASED", device_status::LEASED)]));
    c.extend(codes(
        "SLASH_REASON",
        &[("MISSED_HEARTBEATS", slash_reason::MISSED_HEARTBEATS), ("FAILED_JOB", slash_reason::FAILED_JOB), ("ADMIN", slash_reason::ADMIN)],
    ));
    c.push(int("MAX_SLASH_REASON", "u8", slash_reason::MAX));
    let models: Vec<Value> =
        s::GPU_MODELS.iter().map(|m| json!({ "code": m.code, "name": m.name, "multiplier_bps": m.multiplier_bps, "vram_gb": m.vram_gb })).collect();
    c.push(constant(
        "GPU_MODELS",
        json!({ "array": [{ "defined": { "name": GPU_MODEL_TYPE } }, models.len()] }),
        serde_json::to_string(&models).expect("serialisable"),
    ));
    c
}

fn leases_constants() -> Vec<Value> {
    use hourglass_leases::interface::state::{self as s, lease_status, slot_status};
    use hourglass_leases::interface::{attestation as a, seeds};
    let mut c = vec![
        seed("MARKET_SEED", seeds::MARKET),
        seed("LEASE_AUTHORITY_SEED", seeds::LEASE_AUTHORITY),
        seed("NETWORK_TREASURY_SEED", seeds::NETWORK_TREASURY),
        int("BPS", "u64", s::BPS),
        int("MAX_SLOTS", "u16", s::MAX_SLOTS),
        len("MESSAGE_LEN", a::MESSAGE_LEN),
        len("ENTRY_LEN", a::ENTRY_LEN),
        len("ENTRIES_OFFSET", a::ENTRIES_OFFSET),
        len("MAX_ATTESTATIONS", a::MAX_ATTESTATIONS),
        constant("INSTRUCTIONS_SYSVAR", json!("pubkey"), a::INSTRUCTIONS_SYSVAR.to_string()),
    ];
    c.extend(codes(
        "LEASE_STATUS",
        &[("ACTIVE", lease_status::ACTIVE), ("PAUSED", lease_status::PAUSED), ("TERMINATED", lease_status::TERMINATED), ("SETTLED", lease_status::SETTLED)],
    ));
    c.extend(codes("SLOT_STATUS", &[("ACTIVE", slot_status::ACTIVE), ("FAULTED", slot_status::FAULTED)]));
    c
}

fn rewards_constants() -> Vec<Value> {
    use hourglass_rewards::interface::{instruction as ix, schedule, seeds, state as s};
    vec![
        seed("POOL_SEED", seeds::POOL),
        seed("REWARD_VAULT_SEED", seeds::REWARD_VAULT),
        seed("DEVICE_REWARD_SEED", seeds::DEVICE_REWARD),
        seed("CO_REWARD_SEED", seeds::CO_REWARD),
        constant("BANDWIDTH_FACTOR_BPS", json!({ "array": ["u64", s::BANDWIDTH_FACTOR_BPS.len()] }), format!("{:?}", s::BANDWIDTH_FACTOR_BPS)),
        int("NOMINATION_HOURS", "u32", s::NOMINATION_HOURS),
        int("DEFAULT_WORK_FACTOR_BPS", "u32", s::DEFAULT_WORK_FACTOR_BPS),
        int("MIN_WORK_FACTOR_BPS", "u32", s::MIN_WORK_FACTOR_BPS),
        int("MAX_WORK_FACTOR_BPS", "u32", s::MAX_WORK_FACTOR_BPS),
        len("UPTIME_MESSAGE_LEN", ix::MESSAGE_LEN),
        len("UPTIME_MESSAGES_OFFSET", ix::MESSAGES_OFFSET),
        len("MAX_UPTIME_ATTESTATIONS", ix::MAX_UPTIME_ATTESTATIONS),
        len("UPTIME_ACCOUNTS_PER_ATTESTATION", ix::UPTIME_ACCOUNTS_PER_ATTESTATION),
        int("MAX_HOURS_PER_CRANK", "u32", ix::MAX_HOURS_PER_CRANK),
        int("SCHEDULE_HOURS", "u32", schedule::HOURS),
        int("FIRST_HOUR_CENTI_TOKENS", "u64", schedule::FIRST_HOUR_CENTI_TOKENS),
        int("CAP_TOKENS", "u64", schedule::CAP_TOKENS),
        int("DECAY_NUM", "u64", schedule::DECAY_NUM),
        int("DECAY_DEN", "u64", schedule::DECAY_DEN),
        int("FACTOR_Q64", "u64", schedule::FACTOR_Q64),
    ]
}

/// The IDL type of a GPU catalogue entry (staking's `GPU_MODELS` constant).
const GPU_MODEL_TYPE: &str = "GpuModel";

/// Types constants use that no account or event does.
fn constant_types(program: &str) -> Vec<Value> {
    if program != "hourglass_staking" {
        return Vec::new();
    }
    vec![json!({
        "name": GPU_MODEL_TYPE,
        "docs": ["A GPU model of the catalogue (the GPU_MODELS constant): code, display name, io.net multiplier (bps), memory per GPU (GB)"],
        "type": { "kind": "struct", "fields": [
            { "name": "code", "type": "u16" },
            { "name": "name", "type": "string" },
            { "name": "multiplier_bps", "type": "u32" },
            { "name": "vram_gb", "type": "u16" },
        ] },
    })]
}

fn ty(t: Ty) -> Value {
    match t {
        Ty::U8 => json!("u8"),
        Ty::U16 => json!("u16"),
        Ty::U32 => json!("u32"),
        Ty::U64 => json!("u64"),
        Ty::I64 => json!("i64"),
        Ty::Bool => json!("bool"),
        Ty::Pubkey => json!("pubkey"),
        Ty::Bytes(n) => json!({ "array": ["u8", n] }),
        Ty::PubkeyArray(n) => json!({ "array": ["pubkey", n] }),
        Ty::VecU8 => json!("bytes"),
    }
}

fn fields(fs: &[Field]) -> Value {
    Value::Array(fs.iter().map(|f| json!({ "name": f.name, "type": ty(f.ty) })).collect())
}

fn docs(text: &str) -> Option<Value> {
    (!text.is_empty()).then(|| json!([text]))
}

/// The IDL of one program as a JSON value.
pub fn idl(spec: &ProgramSpec) -> Value {
    let instructions: Vec<Value> = spec
        .instructions
        .iter()
        .map(|ix| {
            let accounts: Vec<Value> = ix
                .accounts
                .iter()
                .map(|a| {
                    let mut v = serde_json::Map::new();
                    v.insert("name".into(), json!(a.name));
                    if let Some(d) = docs(a.docs) {
                        v.insert("docs".into(), d);
                    }
                    if a.writable {
                        v.insert("writable".into(), json!(true));
                    }
                    if a.signer {
                        v.insert("signer".into(), json!(true));
                    }
                    if let Some(address) = a.address {
                        v.insert("address".into(), json!(address));
                    }
                    Value::Object(v)
                })
                .collect();
            let mut v = serde_json::Map::new();
            v.insert("name".into(), json!(ix.name));
            if let Some(d) = docs(ix.docs) {
                v.insert("docs".into(), d);
            }
            v.insert("discriminator".into(), json!(discriminator::instruction(ix.name)));
            v.insert("accounts".into(), Value::Array(accounts));
            v.insert("args".into(), fields(ix.args));
            Value::Object(v)
        })
        .collect();
    let accounts: Vec<Value> = spec.accounts.iter().map(|a| json!({ "name": a.name, "discriminator": discriminator::account(a.name) })).collect();
    let events: Vec<Value> = spec.events.iter().map(|e| json!({ "name": e.name, "discriminator": discriminator::event(e.name) })).collect();
    let errors: Vec<Value> = spec.errors.iter().flat_map(|table| table.iter()).map(|e| json!({ "code": e.code, "name": e.name, "msg": e.msg })).collect();
    let mut types: Vec<Value> = spec
        .accounts
        .iter()
        .chain(spec.extra_types.iter())
        .chain(spec.events.iter())
        .map(|t| json!({ "name": t.name, "type": { "kind": "struct", "fields": fields(t.fields) } }))
        .collect();
    types.extend(constant_types(spec.name));
    json!({
        "address": spec.address,
        "metadata": { "name": spec.name, "version": spec.version, "spec": "0.1.0" },
        "instructions": instructions,
        "accounts": accounts,
        "events": events,
        "errors": errors,
        "types": types,
        "constants": constants(spec.name),
    })
}

/// The IDL as the exact text committed in client/idl/ (pretty, trailing newline).
pub fn render(spec: &ProgramSpec) -> String {
    let mut s = serde_json::to_string_pretty(&idl(spec)).expect("serialisable");
    s.push('\n');
    s
}

/// client/idl/ in this checkout.
pub fn idl_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../client/idl")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_core::idl::ErrorSpec;
    use std::collections::HashSet;

    #[test]
    fn committed_idls_match_the_programs() {
        for (file, spec) in programs() {
            let path = idl_dir().join(file);
            let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; run scripts/gen-idl.sh", path.display()));
            assert!(committed == render(&spec), "{} differs from the program's interface; run scripts/gen-idl.sh and commit the result", path.display());
        }
    }

    #[test]
    fn names_and_codes_are_unique() {
        for (_, spec) in programs() {
            let errors: Vec<&ErrorSpec> = spec.errors.iter().flat_map(|t| t.iter()).collect();
            let codes: HashSet<u32> = errors.iter().map(|e| e.code).collect();
            assert_eq!(codes.len(), errors.len(), "duplicate error code in {}", spec.name);
            let discs: HashSet<[u8; 8]> = spec.instructions.iter().map(|i| discriminator::instruction(i.name)).collect();
            assert_eq!(discs.len(), spec.instructions.len());
            let names: HashSet<&str> = spec.accounts.iter().chain(spec.events.iter()).map(|t| t.name).collect();
            assert_eq!(names.len(), spec.accounts.len() + spec.events.len(), "type name reused in {}", spec.name);
        }
    }

    #[test]
    fn constants_have_unique_names_and_parse_as_their_types() {
        for (_, spec) in programs() {
            let constants = constants(spec.name);
            let names: HashSet<&str> = constants.iter().map(|c| c["name"].as_str().unwrap()).collect();
            assert_eq!(names.len(), constants.len(), "constant name reused in {}", spec.name);
            for c in &constants {
                let value = c["value"].as_str().unwrap();
                match c["type"].as_str() {
                    Some("u8" | "u16" | "u32" | "u64" | "i64") => assert!(value.parse::<i128>().is_ok(), "{value}"),
                    Some("bytes") => assert!(serde_json::from_str::<Vec<u8>>(value).is_ok(), "{value}"),
                    _ => assert!(c["type"] == "pubkey" || serde_json::from_str::<Value>(value).is_ok(), "{value}"),
                }
            }
        }
        let staking = constants("hourglass_staking");
        let models = staking.iter().find(|c| c["name"] == "GPU_MODELS").unwrap();
        let models: Vec<Value> = serde_json::from_str(models["value"].as_str().unwrap()).unwrap();
        assert_eq!(models.len(), hourglass_staking_interface::state::GPU_MODELS.len());
    }

    #[test]
    fn staking_account_sizes_match_the_layouts() {
        use hourglass_core::loaders::AccountType;
        use hourglass_core::pod::fields_size;
        use hourglass_staking_interface::state::{Config, Device, GpuTier};
        let spec = hourglass_staking_interface::SPEC;
        let size = |name: &str| 8 + fields_size(spec.accounts.iter().find(|a| a.name == name).unwrap().fields);
        assert_eq!(size("Config"), Config::LEN);
        assert_eq!(size("GpuTier"), GpuTier::LEN);
        assert_eq!(size("Device"), Device::LEN);
    }
}
