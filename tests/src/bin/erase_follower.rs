//! Test helper for the erasure crash test: opens a device and syncs it
//! once with the relay at URL (following any erasure it finds), then
//! prints "synced". The test kills it with SIGKILL at random moments.
//!
//! Usage: `erase_follower DATA_DIR URL`

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(url)) = (args.next(), args.next()) else {
        eprintln!("usage: erase_follower DATA_DIR URL");
        std::process::exit(2);
    };
    let run = || -> Result<(), kindred_core::Error> {
        let mut k =
            kindred_core::Kindred::open(std::path::Path::new(&dir), &kindred_tests::test_key())?;
        let t = kindred_core::sync::HttpTransport::new(&url)
            .map_err(|_| kindred_core::Error::Unreachable)?;
        println!("opened");
        k.sync(&t)?;
        println!("synced");
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("erase_follower: {e}");
        std::process::exit(1);
    }
}
