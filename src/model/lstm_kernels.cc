#include "model/lstm_kernels.h"

#include <cmath>

namespace tunesmith::model {

namespace {

inline float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

void LstmCellForward(float* gates, const float* c_prev, float* c, float* tanh_c, float* h, int64_t rows,
                     int64_t hidden) {
  const int64_t H = hidden;
  for (int64_t r = 0; r < rows; ++r) {
    float* gi = gates + r * 4 * H;
    float* gf = gi + H;
    float* gg = gi + 2 * H;
    float* go = gi + 3 * H;
    const float* cp = c_prev + r * H;
    float* cr = c + r * H;
    float* tr = tanh_c + r * H;
    float* hr = h + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float i = Sigmoid(gi[j]);
      const float f = Sigmoid(gf[j]);
      const float g = std::tanh(gg[j]);
      const float o = Sigmoid(go[j]);
      const float cn = f * cp[j] + i * g;
      const float tc = std::tanh(cn);
      gi[j] = i;
      gf[j] = f;
      gg[j] = g;
      go[j] = o;
      cr[j] = cn;
      tr[j] = tc;
      hr[j] = o * tc;
    }
  }
}

void LstmCellBackward(const float* gates, const float* c_prev, const float* tanh_c, const float* dy,
                      const float* dh_next, float* dc, float* dgates, int64_t rows, int64_t hidden) {
  const int64_t H = hidden;
  for (int64_t r = 0; r < rows; ++r) {
    const float* gi = gates + r * 4 * H;
    const float* gf = gi + H;
    const float* gg = gi + 2 * H;
    const float* go = gi + 3 * H;
    const float* cp = c_prev + r * H;
    const float* tr = tanh_c + r * H;
    const float* yr = dy ? dy + r * H : nullptr;
    const float* hn = dh_next + r * H;
    float* dcr = dc + r * H;
    float* di = dgates + r * 4 * H;
    float* df = di + H;
    float* dg = di + 2 * H;
    float* dout = di + 3 * H;
    if (yr) {
#pragma omp simd
      for (int64_t j = 0; j < H; ++j) {
        const float dh = yr[j] + hn[j];
        const float i = gi[j], f = gf[j], g = gg[j], o = go[j], tc = tr[j];
        const float d_c = dcr[j] + dh * o * (1.0f - tc * tc);
        dout[j] = dh * tc * o * (1.0f - o);
        di[j] = d_c * g * i * (1.0f - i);
        df[j] = d_c * cp[j] * f * (1.0f - f);
        dg[j] = d_c * i * (1.0f - g * g);
        dcr[j] = d_c * f;
      }
    } else {
#pragma omp simd
      for (int64_t j = 0; j < H; ++j) {
        const float dh = hn[j];
        const float i = gi[j], f = gf[j], g = gg[j], o = go[j], tc = tr[j];
        const float d_c = dcr[j] + dh * o * (1.0f - tc * tc);
        dout[j] = dh * tc * o * (1.0f - o);
        di[j] = d_c * g * i * (1.0f - i);
        df[j] = d_c * cp[j] * f * (1.0f - f);
        dg[j] = d_c * i * (1.0f - g * g);
        dcr[j] = d_c * f;
      }
    }
  }
}

}  // namespace tunesmith::model
