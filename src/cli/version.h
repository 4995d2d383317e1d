#pragma once
namespace tunesmith {
inline constexpr const char* kVersion = "0.1.0";
}
