// A look-aside cache in front of a backing store (docs/models/caches.md).
// A client reads the cache first; a hit is answered there, a miss (or a
// lookup the cache fails to answer) is read from the store and written back.
// The cache's content is a fill share f in [0, 1] of what it holds warm: the
// hit rate now is the declared one times f. Losing content (a flush, a
// crash) lowers f at once; misses the store answers write keys back, so f
// refills towards 1 with a time constant, slowed by the share of misses the
// store fails to answer. Everything here is a rate or a share: no SimGrid,
// no state beyond the fill.
#pragma once

namespace outagesim::models {

/// Where the reads of one look-aside client go at an instant.
struct LookAsideSplit {
  double hits_rps = 0;    ///< answered by the cache
  double misses_rps = 0;  ///< read from the store: true misses and lookups the cache failed
};

/// Splits `reads_rps` between cache and store, with `hit_rate` the share of
/// keys the cache holds now (declared hit rate x fill) and `cache` the share
/// of lookups it answers (its availability): hits = reads x cache x hit_rate,
/// misses = reads - hits. Every read goes one way or the other.
LookAsideSplit split_reads(double reads_rps, double hit_rate, double cache);

/// Share of reads answered: hits, plus misses the store answers (`store`,
/// its availability). A failed cache is not fatal: its reads go to the store.
double look_aside_availability(double hit_rate, double cache, double store);

/// The fill after `dt_s` of refilling with time constant `refill_s` while a
/// share `written_back` of the misses is answered by the store and written
/// back: df/dt = written_back (1 - f) / refill_s, solved exactly over the
/// step (so f never passes 1 and never falls).
double refill(double fill, double dt_s, double refill_s, double written_back);

/// The fill after losing `share` of the content (a flush of some instances,
/// a crash that empties their memory): the keys they held are gone.
double flushed(double fill, double share);

}  // namespace outagesim::models
