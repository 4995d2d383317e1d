#include "abc/reader.h"

#include <gtest/gtest.h>

#include <string>

namespace tunesmith::abc {
namespace {

std::string TuneText(const std::string& header, const std::string& body) {
  return "X:1\nT:Test\n" + header + "\n" + body + "\n";
}

// Reads one tune in M:4/4 L:1/8 K:G (or the header given) and expects it read.
Tune ReadOne(const std::string& body, const std::string& header = "M:4/4\nL:1/8\nK:G") {
  ReadResult r = ReadAbc(TuneText(header, body), "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << (r.diagnostics.empty() ? "" : r.diagnostics[0].Format());
  return r.tunes.empty() ? Tune() : r.tunes[0];
}

std::vector<ElementKind> Kinds(const Tune& t) {
  std::vector<ElementKind> kinds;
  for (const auto& e : t.body) {
    if (e.kind != ElementKind::kLineBreak) kinds.push_back(e.kind);
  }
  return kinds;
}

const Element& First(const Tune& t, ElementKind kind, int skip = 0) {
  for (const auto& e : t.body) {
    if (e.kind == kind && skip-- == 0) return e;
  }
  static Element none;
  ADD_FAILURE() << "no such element";
  return none;
}

struct NoteCase {
  const char* body;
  int step, octave;
  Accidental accidental;
  Rational length;  // with L:1/8
};

TEST(ReaderTest, NotesTable) {
  const NoteCase cases[] = {
      {"C", 0, 0, Accidental::kNone, {1, 8}},          {"c", 0, 1, Accidental::kNone, {1, 8}},
      {"c'", 0, 2, Accidental::kNone, {1, 8}},         {"C,,", 0, -2, Accidental::kNone, {1, 8}},
      {"^F2", 3, 0, Accidental::kSharp, {1, 4}},       {"_B/", 6, 0, Accidental::kFlat, {1, 16}},
      {"=e//", 2, 1, Accidental::kNatural, {1, 32}},   {"^^g3/2", 4, 1, Accidental::kDoubleSharp, {3, 16}},
      {"__A/4", 5, 0, Accidental::kDoubleFlat, {1, 32}}, {"B3", 6, 0, Accidental::kNone, {3, 8}},
      {"d3/", 1, 1, Accidental::kNone, {3, 16}},       {"a'',", 5, 2, Accidental::kNone, {1, 8}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    Tune t = ReadOne(c.body);
    const Element& e = First(t, ElementKind::kNote);
    ASSERT_EQ(e.pitches.size(), 1u);
    EXPECT_EQ(e.pitches[0].step, c.step);
    EXPECT_EQ(e.pitches[0].octave, c.octave);
    EXPECT_EQ(e.pitches[0].accidental, c.accidental);
    EXPECT_EQ(e.length, c.length);
  }
}

struct BarCase {
  const char* text;
  BarKind kind;
};

TEST(ReaderTest, BarLinesTable) {
  const BarCase cases[] = {
      {"|", BarKind::kSingle},        {"||", BarKind::kDouble},       {"|]", BarKind::kFinal},
      {"[|", BarKind::kStart},        {"|:", BarKind::kRepeatStart},  {":|", BarKind::kRepeatEnd},
      {"::", BarKind::kRepeatBoth},   {":|:", BarKind::kRepeatBoth},  {":||:", BarKind::kRepeatBoth},
      {"||:", BarKind::kRepeatStart}, {":|]", BarKind::kRepeatEnd},   {"|:|", BarKind::kRepeatEnd},
      {"[|]|]", BarKind::kFinal},     {"[|]:|", BarKind::kRepeatEnd},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Tune t = ReadOne(std::string("A2B2 ") + c.text + " c2d2");
    EXPECT_EQ(First(t, ElementKind::kBar).bar, c.kind);
    EXPECT_EQ(Kinds(t), (std::vector<ElementKind>{ElementKind::kNote, ElementKind::kNote, ElementKind::kBar,
                                                  ElementKind::kNote, ElementKind::kNote}));
  }
}

TEST(ReaderTest, EndingsTable) {
  const std::pair<const char*, const char*> cases[] = {
      {"A4 |1 B4 :|2 c4 ||", "1"},  {"A4 [1 B4 :| [2 c4 ||", "1"},
      {"A4 |[1 B4 :|[2 c4 ||", "1"}, {"A4 [1,3 B4 :| [2 c4 ||", "1,3"},
      {"A4 [1-2 B4 :| [3 c4 ||", "1-2"},
  };
  for (const auto& [body, first] : cases) {
    SCOPED_TRACE(body);
    Tune t = ReadOne(body);
    EXPECT_EQ(First(t, ElementKind::kEnding).text, first);
    EXPECT_EQ(First(t, ElementKind::kEnding, 1).kind, ElementKind::kEnding);
  }
}

TEST(ReaderTest, TupletDefaultsDependOnMeter) {
  struct Case {
    const char* text;
    const char* meter;
    Tuplet expected;
  };
  const Case cases[] = {
      {"(3abc", "M:4/4", {3, 2, 3}},   {"(2ab", "M:6/8", {2, 3, 2}},     {"(5abcde", "M:4/4", {5, 2, 5}},
      {"(5abcde", "M:6/8", {5, 3, 5}}, {"(3:2:2a2b", "M:4/4", {3, 2, 2}}, {"(3::2a2b", "M:4/4", {3, 2, 2}},
      {"(4abcd", "M:4/4", {4, 3, 4}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Tune t = ReadOne(c.text, std::string(c.meter) + "\nL:1/8\nK:G");
    EXPECT_EQ(First(t, ElementKind::kTuplet).tuplet, c.expected);
  }
}

TEST(ReaderTest, BrokenRhythmTiesSlursChords) {
  Tune t = ReadOne("A>B c<<d (ef) g-g [CEG]2 [C2E2]/ +A2c2+");
  EXPECT_EQ(First(t, ElementKind::kBrokenRhythm).broken, 1);
  EXPECT_EQ(First(t, ElementKind::kBrokenRhythm, 1).broken, -2);
  EXPECT_EQ(First(t, ElementKind::kSlurStart).kind, ElementKind::kSlurStart);
  EXPECT_TRUE(First(t, ElementKind::kNote, 6).tie);
  const Element& chord = First(t, ElementKind::kNote, 8);
  EXPECT_EQ(chord.pitches.size(), 3u);
  EXPECT_EQ(chord.length, Rational(1, 4));
  EXPECT_EQ(First(t, ElementKind::kNote, 9).length, Rational(1, 8));  // [C2E2]/: first note's 2 times 1/2
  const Element& old_chord = First(t, ElementKind::kNote, 10);
  EXPECT_EQ(old_chord.pitches.size(), 2u);
  EXPECT_EQ(old_chord.length, Rational(1, 4));
}

TEST(ReaderTest, RestsIncludingWholeBars) {
  Tune t = ReadOne("z2 x Z2 | A8", "M:3/4\nL:1/8\nK:D");
  EXPECT_EQ(First(t, ElementKind::kRest).length, Rational(1, 4));
  EXPECT_TRUE(First(t, ElementKind::kRest, 1).invisible);
  EXPECT_EQ(First(t, ElementKind::kRest, 2).length, Rational(3, 2));  // two bars of 3/4
}

TEST(ReaderTest, ChordSymbolsAnnotationsDecorationsGraces) {
  Tune t = ReadOne("\"D/f+\"A \"Cd\"B \"(A7)\"c \"^text\"d \"D.C.\"e ~f .g !trill!a +fermata+b T{ga}c H\"G\"d");
  EXPECT_EQ(First(t, ElementKind::kNote, 0).chord_symbol, "D/F#");
  EXPECT_EQ(First(t, ElementKind::kNote, 1).chord_symbol, "Cdim");
  EXPECT_EQ(First(t, ElementKind::kNote, 2).chord_symbol, "(A7)");
  EXPECT_EQ(First(t, ElementKind::kNote, 3).annotations, std::vector<std::string>{"^text"});
  EXPECT_EQ(First(t, ElementKind::kNote, 4).annotations, std::vector<std::string>{"^D.C."});
  EXPECT_EQ(First(t, ElementKind::kNote, 5).decorations, std::vector<std::string>{"~"});
  EXPECT_EQ(First(t, ElementKind::kNote, 6).decorations, std::vector<std::string>{"."});
  EXPECT_EQ(First(t, ElementKind::kNote, 7).decorations, std::vector<std::string>{"trill"});
  EXPECT_EQ(First(t, ElementKind::kNote, 8).decorations, std::vector<std::string>{"fermata"});
  const Element& graced = First(t, ElementKind::kNote, 9);
  EXPECT_EQ(graced.decorations, std::vector<std::string>{"trill"});
  ASSERT_EQ(graced.grace_notes.size(), 2u);
  EXPECT_EQ(graced.grace_lengths[0], Rational(1, 8));
  EXPECT_EQ(First(t, ElementKind::kNote, 10).chord_symbol, "G");
}

// Ryan's Mammoth Collection as transcribed: fingerings and string numbers in
// quotes, bowings, T trills, L:1/16, N:/C:/Z: lines, '\' continuations.
TEST(ReaderTest, FiddleBookFingeringsAreAnnotationsNotChords) {
  ReadResult r = ReadAbc(
      "X: 1\nT:7th Regiment -- Reel\nM:2/4\nL:1/16\nC:CONN. HIGGINS.\nR:reel\nN:363\n"
      "Z:Contributed by Ray Davies\nK:A\n"
      "vA2(Ac) \"4\"eAc\"0\"e | ace\"1\"a \"3\"Tc'2(\"2\"b\"1\"a) |\\\n"
      "\"04\"A,2 uE2 \"G\"A4 :|\n",
      "7thRegimentReel.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.warnings, 0);  // fingerings are no mistake
  const Tune& t = r.tunes[0];
  EXPECT_EQ(t.unit_length, Rational(1, 16));
  EXPECT_EQ(t.FieldValues('C'), std::vector<std::string>{"CONN. HIGGINS."});
  EXPECT_EQ(t.FieldValues('N'), std::vector<std::string>{"363"});
  int chords = 0, fingered = 0;
  for (const Element& e : t.body) {
    chords += !e.chord_symbol.empty();
    fingered += !e.annotations.empty();
  }
  EXPECT_EQ(chords, 1);     // only "G"
  EXPECT_EQ(fingered, 7);   // "4" "0" "1" "3" "2" "1" "04"
  EXPECT_EQ(First(t, ElementKind::kNote, 3).annotations, std::vector<std::string>{"^4"});
  EXPECT_EQ(First(t, ElementKind::kNote, 0).decorations, std::vector<std::string>{"downbow"});
  EXPECT_EQ(First(t, ElementKind::kNote, 11).decorations, std::vector<std::string>{"trill"});
  EXPECT_EQ(First(t, ElementKind::kNote, 15).decorations, std::vector<std::string>{"upbow"});
  EXPECT_EQ(First(t, ElementKind::kNote, 16).chord_symbol, "G");
  int breaks = 0;
  for (const Element& e : t.body) breaks += e.kind == ElementKind::kLineBreak;
  EXPECT_EQ(breaks, 1);  // at the end of the tune: the '\\' joined the two lines
}

// Tunes that went through e-mail (Ryan's Mammoth): a soft line break '=' at
// the end of a line, '=20' for a trailing blank, '=3D' for '='.
TEST(ReaderTest, QuotedPrintableArtefactsAreDecoded) {
  ReadResult r = ReadAbc(TuneText("M:4/4\nL:1/8\nK:D", "dfBf dfBa =\ngabg |=20\nf>d=3DB>a =3Dc4 |]"), "qp.abc");
  ASSERT_EQ(r.tunes.size(), 1u) << (r.diagnostics.empty() ? "" : r.diagnostics[0].Format());
  EXPECT_EQ(r.warnings, 4);
  const Tune& t = r.tunes[0];
  int breaks = 0, notes = 0;
  for (const Element& e : t.body) {
    breaks += e.kind == ElementKind::kLineBreak;
    notes += e.kind == ElementKind::kNote;
  }
  EXPECT_EQ(breaks, 2);  // after "|=20" and at the end: the soft break joined the first two lines
  EXPECT_EQ(notes, 17);
  EXPECT_EQ(First(t, ElementKind::kNote, 14).pitches[0].accidental, Accidental::kNatural);
  EXPECT_EQ(First(t, ElementKind::kNote, 14).pitches[0].step, 6);
  EXPECT_EQ(First(t, ElementKind::kNote, 16).pitches[0].accidental, Accidental::kNatural);
  EXPECT_EQ(First(t, ElementKind::kNote, 16).length, Rational(1, 2));
}

TEST(ReaderTest, EmptyChordSymbolsAreSkippedWithAWarning) {
  ReadResult r = ReadAbc(TuneText("K:G", "\" \"A \"\"B"), "t.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.warnings, 2);
  EXPECT_EQ(r.tunes[0].body[0].chord_symbol, "");
}

TEST(ReaderTest, HeaderFieldsAndDefaults) {
  struct Case {
    const char* header;
    Rational unit;
    Meter::Symbol symbol;
    std::optional<Rational> bar;
  };
  const Case cases[] = {
      {"M:6/8\nK:G", {1, 8}, Meter::Symbol::kNumeric, Rational(3, 4)},
      {"M:2/4\nK:G", {1, 16}, Meter::Symbol::kNumeric, Rational(1, 2)},
      {"M:3/4\nK:G", {1, 8}, Meter::Symbol::kNumeric, Rational(3, 4)},
      {"M:C\nK:G", {1, 8}, Meter::Symbol::kCommon, Rational(1)},
      {"M:C|\nK:G", {1, 8}, Meter::Symbol::kCut, Rational(1)},
      {"M:none\nK:G", {1, 8}, Meter::Symbol::kFree, std::nullopt},
      {"M:2/4\nL:1/4\nK:G", {1, 4}, Meter::Symbol::kNumeric, Rational(1, 2)},
      {"K:G", {1, 8}, Meter::Symbol::kFree, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    Tune t = ReadOne("A", c.header);
    EXPECT_EQ(t.unit_length, c.unit);
    EXPECT_EQ(t.meter.symbol, c.symbol);
    EXPECT_EQ(t.meter.BarLength(), c.bar);
  }
}

TEST(ReaderTest, MeterAfterKBeforeMusicIsTheTunesMeter) {
  // The NMD's first jig: M:4/4 in the header, M:6/8 right after K:.
  ReadResult r = ReadAbc("X: 1\nT:A and D\nM:4/4\nK:A\nM:6/8\nP:A\nf|ecc c2f|\n", "jigs.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.tunes[0].meter.ToString(), "6/8");
  EXPECT_EQ(r.warnings, 1);
  EXPECT_EQ(r.tunes[0].body[0].kind, ElementKind::kPart);
}

TEST(ReaderTest, InlineAndBodyFields) {
  Tune t = ReadOne("A2 [M:2/4] B2 | [K:D] c2 |\nK:Ador\nP:B\nL:1/4\nA B |\nw: some words");
  const Element& m = First(t, ElementKind::kField);
  EXPECT_EQ(m.field_key, 'M');
  ASSERT_TRUE(m.meter.has_value());
  EXPECT_EQ(m.meter->ToString(), "2/4");
  EXPECT_EQ(First(t, ElementKind::kField, 1).key->ToString(), "D");
  EXPECT_EQ(First(t, ElementKind::kField, 2).key->mode, Mode::kDorian);
  EXPECT_EQ(First(t, ElementKind::kPart).text, "B");
  EXPECT_EQ(First(t, ElementKind::kNote, 3).length, Rational(1, 4));  // after L:1/4
  EXPECT_EQ(First(t, ElementKind::kField, 3).field_key, 'w');
}

TEST(ReaderTest, FieldContinuationLines) {
  // +: continues the field before it; an empty one adds nothing (found by the fuzzer).
  Tune t = ReadOne("A|\nN:first\n+: second\n+:\nB|", "M:4/4\nT:part\n+:two\nK:G");
  EXPECT_EQ(First(t, ElementKind::kField).text, "first second");
  EXPECT_EQ(t.FieldValues('T'), (std::vector<std::string>{"Test", "part two"}));
}

TEST(ReaderTest, LineContinuationCommentsDirectivesTabs) {
  Tune t = ReadOne("A\tB c d|\\\n% a comment\n%%MIDI program 1\ne f g a|]");
  int breaks = 0;
  for (const auto& e : t.body) breaks += e.kind == ElementKind::kLineBreak;
  EXPECT_EQ(breaks, 1);  // the '\' joins the two music lines
  EXPECT_EQ(Kinds(t).size(), 10u);
  EXPECT_TRUE(t.body[1].space_before);  // the tab
}

TEST(ReaderTest, MultiTuneFilesAndStrayText) {
  const char* text =
      "This file holds two tunes.\n\nX:1\nT:One\nK:G\nABc|\n\n:1646\nX:2\nT:Two\nK:D\ndef|\n\n\nX:3\nT:Bad\nK:Q\nA|\n";
  ReadResult r = ReadAbc(text, "f.abc");
  EXPECT_EQ(r.tunes_seen, 3);
  ASSERT_EQ(r.tunes.size(), 2u);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.tunes[1].Title(), "Two");
  EXPECT_EQ(r.tunes[1].pos.line, 9);
  EXPECT_EQ(r.warnings, 2);  // the free text and the stray ":1646"
}

TEST(ReaderTest, OnlyTheFirstVoiceIsKept) {
  Tune t = ReadOne("V:1\nABcd|\nV:2\nGGGG|\nV:1\nefga|");
  int notes = 0;
  for (const auto& e : t.body) notes += e.kind == ElementKind::kNote;
  EXPECT_EQ(notes, 8);
}

struct BadCase {
  const char* body;
  int line;    // in the tune text: X: is line 1, the body starts on line 5
  int column;
  const char* message_part;
};

TEST(ReaderTest, MalformedInputIsRejectedWithLineAndColumn) {
  const BadCase cases[] = {
      {"ABc d/0|", 5, 6, "unknown note length"},
      {"ABc \"Am d|", 5, 5, "unclosed '\"'"},
      {"AB [CEG c|", 5, 4, "unclosed chord"},
      {"AB ^| c", 5, 5, "accidental without a note"},
      {"AB {ga c|", 5, 4, "unclosed grace"},
      {"ABc|\n[K:Xyz] d", 6, 4, "cannot read key"},
      {"A99999", 5, 1, "out of range"},
      {"A99999999", 5, 2, "too long"},
      {"A/65536", 5, 1, "out of range"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ReadResult r = ReadAbc(TuneText("M:4/4\nK:G", c.body), "bad.abc");
    EXPECT_EQ(r.rejected, 1);
    EXPECT_TRUE(r.tunes.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    const Diagnostic& d = r.diagnostics.back();
    EXPECT_EQ(d.severity, Severity::kError);
    EXPECT_EQ(d.line, c.line);
    EXPECT_EQ(d.column, c.column);
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.message;
    EXPECT_EQ(d.title, "Test");
    EXPECT_EQ(d.x, 1);
  }
}

TEST(ReaderTest, DiagnosticFormatPointsAtTheCharacter) {
  ReadResult r = ReadAbc("X:3\nT:The American Dwarf\nK:D\n\"D\"f2f Fd/0|\n", "jigs.abc");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].Format(),
            "jigs.abc:4:10: error: X:3 \"The American Dwarf\": unknown note length '/0'\n"
            "  \"D\"f2f Fd/0|\n"
            "           ^");
}

TEST(ReaderTest, OneBrokenTuneDoesNotStopTheOthers) {
  ReadResult r = ReadAbc("X:1\nK:G\nA/0|\n\nX:2\nK:G\nAB|\n\nX:3\nK:G\n\"unclosed\n\nX:4\nK:G\ncd|\n", "f.abc");
  EXPECT_EQ(r.tunes_seen, 4);
  EXPECT_EQ(r.rejected, 2);
  ASSERT_EQ(r.tunes.size(), 2u);
  EXPECT_EQ(r.tunes[0].x, 2);
  EXPECT_EQ(r.tunes[1].x, 4);
}

// Input that is odd but understood: read, with a warning.
TEST(ReaderTest, AcceptedWithWarningTable) {
  const char* cases[] = {
      "A B & c d|",      // voice overlay
      "A y B|",          // spacer
      "A !trill B|",     // unclosed decoration
      "A > | B|",        // broken rhythm with no note after it
      "| - A|",          // tie without a note
      "k A B|",          // unknown decoration letter
      "A ::: B|",        // odd repeat
      "(1 A B|",         // tuplet of one
  };
  for (const char* body : cases) {
    SCOPED_TRACE(body);
    ReadResult r = ReadAbc(TuneText("M:4/4\nK:G", body), "t.abc");
    EXPECT_EQ(r.tunes.size(), 1u);
    EXPECT_GE(r.warnings, 1);
  }
}

}  // namespace
}  // namespace tunesmith::abc
