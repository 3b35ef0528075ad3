include!("../core/build_support.rs");

fn main() {
    write_program_id("rewards");
}
