#include "render/fluidsynth_library.h"

#include <dlfcn.h>

#include <string>

#ifndef TUNESMITH_FLUIDSYNTH_SONAME
#define TUNESMITH_FLUIDSYNTH_SONAME "libfluidsynth.so.3"
#endif

namespace tunesmith::render {
namespace {

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn* out, std::string* missing) {
  *out = reinterpret_cast<Fn>(dlsym(handle, name));
  if (*out == nullptr) *missing = name;
  return *out != nullptr;
}

Result<const FluidSynthLibrary*> Open() {
  // The soname the headers were built against first; the unversioned name
  // (from libfluidsynth-dev) as a fallback.
  void* handle = dlopen(TUNESMITH_FLUIDSYNTH_SONAME, RTLD_NOW | RTLD_LOCAL);
  std::string first_error = handle ? "" : dlerror();
  if (handle == nullptr) handle = dlopen("libfluidsynth.so", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Status::NotFound("cannot load FluidSynth (" + first_error +
                         "): install the Debian package libfluidsynth3 (sudo apt-get install libfluidsynth3)");
  }
  static FluidSynthLibrary lib;
  std::string missing;
  bool ok = Resolve(handle, "new_fluid_settings", &lib.new_settings, &missing) &&
            Resolve(handle, "delete_fluid_settings", &lib.delete_settings, &missing) &&
            Resolve(handle, "fluid_settings_setstr", &lib.settings_setstr, &missing) &&
            Resolve(handle, "fluid_settings_setint", &lib.settings_setint, &missing) &&
            Resolve(handle, "fluid_settings_setnum", &lib.settings_setnum, &missing) &&
            Resolve(handle, "new_fluid_synth", &lib.new_synth, &missing) &&
            Resolve(handle, "delete_fluid_synth", &lib.delete_synth, &missing) &&
            Resolve(handle, "fluid_synth_sfload", &lib.synth_sfload, &missing) &&
            Resolve(handle, "fluid_synth_write_float", &lib.synth_write_float, &missing) &&
            Resolve(handle, "fluid_synth_system_reset", &lib.synth_system_reset, &missing) &&
            Resolve(handle, "new_fluid_player", &lib.new_player, &missing) &&
            Resolve(handle, "delete_fluid_player", &lib.delete_player, &missing) &&
            Resolve(handle, "fluid_player_add_mem", &lib.player_add_mem, &missing) &&
            Resolve(handle, "fluid_player_play", &lib.player_play, &missing) &&
            Resolve(handle, "fluid_player_stop", &lib.player_stop, &missing) &&
            Resolve(handle, "fluid_player_get_status", &lib.player_get_status, &missing) &&
            Resolve(handle, "fluid_set_log_function", &lib.set_log_function, &missing);
  if (!ok) {
    return Status::NotSupported("the installed FluidSynth lacks " + missing +
                         " (tunesmith needs FluidSynth 2.2 or newer: Debian package libfluidsynth3)");
  }
  // Info and debug chatter is not for tunesmith users; warnings and errors still reach stderr.
  lib.set_log_function(FLUID_INFO, nullptr, nullptr);
  lib.set_log_function(FLUID_DBG, nullptr, nullptr);
  return static_cast<const FluidSynthLibrary*>(&lib);
}

}  // namespace

Result<const FluidSynthLibrary*> LoadFluidSynth() {
  static const Result<const FluidSynthLibrary*> loaded = Open();  // the library stays open for the process
  return loaded;
}

}  // namespace tunesmith::render
