// How many CPU threads LibTorch uses, set once for the process.
#pragma once

namespace tunesmith::model {

// Sets LibTorch's intra-op thread count to `threads`, or to every core when
// it is 0, and returns it. The first call decides; later calls (a library
// composing inside a command that already chose) return the count in force.
int UseThreads(int threads);

}  // namespace tunesmith::model
