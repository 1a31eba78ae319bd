//! Seeds and random streams.
//!
//! Every random number of a campaign comes from a ChaCha8 stream keyed by the master seed
//! and the campaign's index, so a campaign gives the same result whichever thread runs it
//! and in whatever order. Inside a campaign each hazard source (a road's attacks, a fleet's
//! breakdowns, a site's permissions, a closure, a departure) draws from its own stream,
//! numbered by a hash of the source's name: two what-if runs with the same seed then see
//! the same incidents on the same roads for as long as they drive them the same way
//! (common random numbers), so their difference is not noise.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The 32-byte key of campaign `run` under master seed `seed`: the first bytes of the
/// master seed's ChaCha8 stream number `run`.
pub(crate) fn run_key(seed: u64, run: u64) -> [u8; 32] {
    let mut master = ChaCha8Rng::seed_from_u64(seed);
    master.set_stream(run);
    let mut key = [0u8; 32];
    rand::Rng::fill_bytes(&mut master, &mut key);
    key
}

/// The stream of hazard source `source` (a name such as `incident:kidal-gao`) in the
/// campaign keyed `key`.
pub(crate) fn stream(key: &[u8; 32], source: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(*key);
    rng.set_stream(fnv1a(source));
    rng
}

/// FNV-1a, 64 bits: a stable hash of a source name (the same on every platform and build).
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
