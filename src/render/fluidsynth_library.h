// libfluidsynth, opened on first use rather than linked.
//
// Linking it makes every run of the light `tunesmith` binary load PulseAudio,
// JACK, SDL2, GLib and ~30 more libraries: measured ~10 ms of start-up on
// `tunesmith check` (budget: 50 ms), for a library only WAV output needs.
// Opening it with dlopen keeps that cost in the commands that synthesise
// audio, and turns a missing library into a message naming its package.
// Internal to src/render.
#pragma once

#include <fluidsynth.h>

#include "base/status.h"

namespace tunesmith::render {

// The libfluidsynth functions the renderer calls, resolved from the library.
struct FluidSynthLibrary {
  decltype(&new_fluid_settings) new_settings;
  decltype(&delete_fluid_settings) delete_settings;
  decltype(&fluid_settings_setstr) settings_setstr;
  decltype(&fluid_settings_setint) settings_setint;
  decltype(&fluid_settings_setnum) settings_setnum;
  decltype(&new_fluid_synth) new_synth;
  decltype(&delete_fluid_synth) delete_synth;
  decltype(&fluid_synth_sfload) synth_sfload;
  decltype(&fluid_synth_write_float) synth_write_float;
  decltype(&fluid_synth_system_reset) synth_system_reset;
  decltype(&new_fluid_player) new_player;
  decltype(&delete_fluid_player) delete_player;
  decltype(&fluid_player_add_mem) player_add_mem;
  decltype(&fluid_player_play) player_play;
  decltype(&fluid_player_stop) player_stop;
  decltype(&fluid_player_get_status) player_get_status;
  decltype(&fluid_set_log_function) set_log_function;
};

// Opens libfluidsynth once per process (thread-safe) and returns its
// functions; later calls return the same table or the same error. The error
// names the Debian package to install (libfluidsynth3).
Result<const FluidSynthLibrary*> LoadFluidSynth();

}  // namespace tunesmith::render
