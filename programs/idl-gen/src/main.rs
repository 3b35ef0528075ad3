//! `cargo run -p hourglass-idl-gen` writes client/idl/*.json; `--check` exits 1 if any differs.

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let mut stale = Vec::new();
    for (file, spec) in hourglass_idl_gen::programs() {
        let path = hourglass_idl_gen::idl_dir().join(file);
        let text = hourglass_idl_gen::render(&spec);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == text {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create client/idl");
            std::fs::write(&path, text).expect("write IDL");
            println!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        eprintln!("IDL out of date (run scripts/gen-idl.sh): {}", stale.join(", "));
        std::process::exit(1);
    }
}
