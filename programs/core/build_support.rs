// Shared by each program's build.rs (included with `include!`): reads the program's address from
// Anchor.toml so the ID lives in one place.
fn program_id_from_anchor_toml(program: &str) -> String {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let path = std::path::Path::new(&manifest_dir).ancestors().find(|d| d.join("Anchor.toml").is_file()).expect("Anchor.toml above the crate").join("Anchor.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("read Anchor.toml");
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[programs.localnet]";
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if key.trim() == program {
                let id = value.trim().trim_matches('"').to_string();
                assert!(
                    (32..=44).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric()),
                    "Anchor.toml: {program} = {id:?} is not a base58 address"
                );
                return id;
            }
        }
    }
    panic!("Anchor.toml has no `{program}` under [programs.localnet]");
}

fn write_program_id(program: &str) {
    let id = program_id_from_anchor_toml(program);
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("program_id.rs");
    std::fs::write(out, format!("/// This program's address, from Anchor.toml.\npub const ID_BASE58: &str = \"{id}\";\n"))
        .expect("write program_id.rs");
}
