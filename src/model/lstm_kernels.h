// The point-wise part of one LSTM time step on plain float arrays, forward and
// backward. Kept free of LibTorch so it compiles in a second with the flags
// that let the compiler vectorise exp/tanh (see CMakeLists.txt); the fused
// layer in fused_lstm.cc calls these on row ranges in parallel.
//
// Layout (PyTorch's): a gate row holds 4H floats, [i | f | g | o].
#pragma once

#include <cstdint>

namespace tunesmith::model {

// For rows [0, rows): `gates` holds the pre-activations on entry and the
// activations (sigmoid i, f, o; tanh g) on return; writes
// c = f*c_prev + i*g, tanh_c = tanh(c), h = o*tanh_c.
void LstmCellForward(float* gates, const float* c_prev, float* c, float* tanh_c, float* h, int64_t rows,
                     int64_t hidden);

// Backward of LstmCellForward for rows [0, rows), given the saved activations.
// dh = dy + dh_next (dy may be null); `dc` holds dL/dc_t on entry and dL/dc_{t-1}
// on return; writes dL/d(pre-activation) into `dgates`.
void LstmCellBackward(const float* gates, const float* c_prev, const float* tanh_c, const float* dy,
                      const float* dh_next, float* dc, float* dgates, int64_t rows, int64_t hidden);

}  // namespace tunesmith::model
