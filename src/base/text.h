// Text from files a user did not write: is it UTF-8, and a form of it that is
// safe to print on a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tunesmith::base {

// The offset of the first byte of `text` that does not start a well-formed
// UTF-8 character (a stray continuation byte, a truncated or overlong
// sequence, a surrogate, past U+10FFFF); npos when the whole text is UTF-8.
size_t FirstInvalidUtf8(std::string_view text);

// `text` with every byte a terminal could act on written as "\xHH": C0
// controls but the tab (ESC starts a title-setting sequence), DEL, the C1
// controls U+0080..U+009F and bytes that are not UTF-8 (a lone 0x9B is CSI on
// some terminals). Everything else, non-ASCII letters included, is kept.
std::string TerminalSafe(std::string_view text);

// The same, but each unsafe byte becomes one '?', so that byte columns into
// the result still point at the same characters (for a caret line).
std::string TerminalSafeSameWidth(std::string_view text);

}  // namespace tunesmith::base
