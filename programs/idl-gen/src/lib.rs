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
    let types: Vec<Value> = spec
        .accounts
        .iter()
        .chain(spec.extra_types.iter())
        .chain(spec.events.iter())
        .map(|t| json!({ "name": t.name, "type": { "kind": "struct", "fields": fields(t.fields) } }))
        .collect();
    json!({
        "address": spec.address,
        "metadata": { "name": spec.name, "version": spec.version, "spec": "0.1.0" },
        "instructions": instructions,
        "accounts": accounts,
        "events": events,
        "errors": errors,
        "types": types,
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
