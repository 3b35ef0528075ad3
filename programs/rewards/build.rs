include!("../core/build_support.rs");

fn main() {
    write_program_id("rewards");
    // The lease program's address, to recognise Lease accounts (the rewards program reads their slot
    // table; it links no lease code).
    let leases = program_id_from_anchor_toml("leases");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("leases_id.rs");
    std::fs::write(out, format!("/// The lease program's address, from Anchor.toml.\npub const LEASES_ID_BASE58: &str = \"{leases}\";\n"))
        .expect("write leases_id.rs");
}
