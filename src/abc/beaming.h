// Beaming by beat: where the blanks go between the notes of a bar so that
// they beam the way musicians write them. ABC beams every run of notes
// written without a blank between them, so "G"c2BGAB| in 6/8 is one beam of
// five notes across both beats; written by beat it is "G"c2B GAB|.
//
// The groups, per meter (BeamGroupLength):
//   6/8 9/8 12/8 (any compound meter)  three eighths: a dotted-quarter beat
//   3/8                                the whole bar
//   4/4 2/2                            half a bar (four eighths), a quarter
//                                      where that half holds notes shorter
//                                      than an eighth (sixteenths beam by beat)
//   2/4 3/4 3/2 and every other meter  a quarter
// A note that crosses a group boundary stands alone (blanks on both sides);
// the notes of a tuplet and the two notes of a broken-rhythm pair are never
// separated. The first note of a bar follows its bar line without a blank
// (after an ending mark or an inline field, with one). A short first bar, or
// a short bar right after a section's bar line closed by '|' or '|:', is a
// pickup: its groups are counted back from the bar line after it.
#pragma once

#include <vector>

#include "abc/rational.h"
#include "abc/tune.h"

namespace tunesmith::abc {

// The length, in whole notes, of one beam group in `meter` (see above); for
// a free meter a quarter.
Rational BeamGroupLength(const Meter& meter);

// For each element of tune.body (same indices): true where a blank goes
// before it to beam the tune by beat. Only notes and rests are ever true.
// Depends on the music alone (not on Element::space_before), so a tune
// written with these blanks and read back gives the same answer.
std::vector<bool> BeatBeamBreaks(const Tune& tune);

}  // namespace tunesmith::abc
