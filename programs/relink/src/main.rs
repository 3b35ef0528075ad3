//! `hourglass-relink IN.o OUT.so`: see the library docs.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: hourglass-relink <input eBPF relocatable object> <output SBPF v0 .so>");
        std::process::exit(2);
    }
    let input = std::fs::read(&args[1]).unwrap_or_else(|e| {
        eprintln!("hourglass-relink: cannot read {}: {e}", args[1]);
        std::process::exit(1);
    });
    match hourglass_relink::relink(&input) {
        Ok(out) => {
            if let Err(e) = std::fs::write(&args[2], &out.bytes) {
                eprintln!("hourglass-relink: cannot write {}: {e}", args[2]);
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("hourglass-relink: {}: {e}", args[1]);
            std::process::exit(1);
        }
    }
}
