// tunesmith studio: the page behind `tunesmith serve` (docs/studio.md).
// Plain script, no build step. It talks only to the server's JSON API
// (docs/api.md) and draws notation with abcjs, served at /vendor/.
'use strict';

(function studio() {
  const $ = (id) => document.getElementById(id);
  const PER_PAGE = 20;
  // Dance types played with a long-short lilt when "follow the tune type" is chosen.
  const narrowScreen = window.matchMedia('(max-width: 700px)');
  const SWUNG_RHYTHMS = ['hornpipe', 'barndance', 'schottische', 'fling', 'highland'];

  const state = {
    model: null,
    tune: null,          // the tune shown (the server's tune object)
    visual: null,        // abcjs's drawn tune
    history: [],         // tunes listed, newest first
    historyPage: 0,
    historyTotal: 0,
    timeline: [],        // [{t: seconds, els: [svg elements]}], sorted by t
    timelineKey: '',     // the audio URL the timeline was made for
    lit: [],             // elements highlighted now
    litIndex: -1,
    raf: 0,
    checkTimer: 0,
    checkSeq: 0,
    deleteArmed: null,
  };

  // ---- the API ----------------------------------------------------------

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, data: { error: `the server did not answer (${e.message})` } };
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch { data = { error: text.slice(0, 200) }; }
    }
    if (!response.ok && (!data || !data.error)) data = { error: `${response.status} ${response.statusText}` };
    if (response.status === 503) {
      const wait = response.headers.get('Retry-After');
      data.error = `the server is busy${wait ? `; try again in ${wait} s` : ''} (${data.error})`;
    }
    return { ok: response.ok, status: response.status, data };
  }

  function say(el, text, kind) {
    el.textContent = text;
    el.classList.toggle('error', kind === 'error');
    el.classList.toggle('good', kind === 'good');
  }

  // ---- the model and the settings form ----------------------------------

  function fillSelect(select, values, keepFirst) {
    if (!keepFirst) select.textContent = '';
    for (const v of values || []) {
      const o = document.createElement('option');
      o.value = String(v);
      o.textContent = String(v);
      select.appendChild(o);
    }
  }

  function setRange(input, range) {
    if (Array.isArray(range) && range.length === 2) {
      input.min = range[0];
      input.max = range[1];
    }
  }

  async function loadModel() {
    const r = await api('GET', '/api/model');
    if (!r.ok) {
      say($('model-line'), `Could not read the model: ${r.data.error}`, 'error');
      return;
    }
    const m = r.data;
    state.model = m;
    const params = typeof m.parameters === 'number' ? `, ${(m.parameters / 1e6).toFixed(2)} M parameters` : '';
    $('model-line').textContent = `Model ${m.name || '?'}${m.architecture ? ` (${m.architecture}${params})` : ''}`;
    fillSelect($('f-rhythm'), m.rhythms, true);
    fillSelect($('f-meter'), m.meters, true);
    fillSelect($('f-key'), m.keys, true);
    fillSelect($('f-mode'), m.modes, true);
    fillSelect($('f-parts'), m.parts, true);
    fillSelect($('f-instrument'), m.instruments, false);
    const d = m.defaults || {};
    const ranges = m.ranges || {};
    for (const name of ['temperature', 'top_k', 'top_p', 'bars', 'seed']) {
      const input = $(`f-${name}`);
      setRange(input, ranges[name]);
      if (d[name] !== undefined && d[name] !== null && name !== 'seed') input.value = d[name];
    }
    for (const name of ['rhythm', 'meter', 'key', 'mode', 'parts', 'instrument']) {
      if (d[name]) $(`f-${name}`).value = String(d[name]);
    }
    if (typeof d.chords === 'boolean') $('f-chords').checked = d.chords;
    setRange($('tempo'), ranges.tempo);
    setRange($('transpose'), ranges.transpose);
  }

  // The form as the body of POST /api/tunes: empty fields are left to the server.
  function settingsBody() {
    const f = $('compose-form');
    const body = {};
    for (const name of ['rhythm', 'meter', 'key', 'mode', 'parts', 'instrument', 'prime']) {
      const v = f.elements[name].value.trim();
      if (v) body[name] = v;
    }
    // The model decides the length of a free form: bars go only with a named form.
    const free = f.elements.parts.value === 'free';
    for (const name of ['bars', 'seed', 'top_k']) {
      if (name === 'bars' && free) continue;
      const v = f.elements[name].value.trim();
      if (v) body[name] = parseInt(v, 10);
    }
    for (const name of ['temperature', 'top_p']) {
      const v = f.elements[name].value.trim();
      if (v) body[name] = parseFloat(v);
    }
    body.chords = f.elements.chords.checked;
    return body;
  }

  function showFieldError(data, status) {
    say(status, data.error, 'error');
    const input = data.field && $(`f-${data.field}`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (input.closest('details')) input.closest('details').open = true;
      input.focus();
    }
  }

  async function compose(event) {
    event.preventDefault();
    const status = $('compose-status');
    for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    $('compose').disabled = true;
    say(status, 'Composing…');
    const r = await api('POST', '/api/tunes', settingsBody());
    $('compose').disabled = false;
    if (!r.ok) return showFieldError(r.data, status);
    say(status, `Composed “${r.data.title}”.`, 'good');
    addToHistory(r.data);
    showTune(r.data);
  }

  // ---- showing a tune ---------------------------------------------------

  function describe(t) {
    const parts = [];
    if (t.rhythm) parts.push(t.rhythm);
    if (t.meter) parts.push(t.meter);
    if (t.key) parts.push(`in ${t.key}`);
    if (t.bars) parts.push(`${t.bars} bars`);
    return parts.join(', ');
  }

  function nearestText(t) {
    const n = t.nearest;
    const indexed = state.model && state.model.figures ? state.model.figures.novelty_index_tunes : undefined;
    if (!n && indexed === 0) return 'Not compared with the training tunes (the model carries no novelty index).';
    if (!n) return `Shares no whole bar with any of the ${indexed ? indexed.toLocaleString('en') + ' ' : ''}training tunes.`;
    const bars = n.shared_bars;
    if (!bars) return `Shares no whole bar with any training tune (closest: ${n.title}).`;
    return `Shares ${bars} bar${bars === 1 ? '' : 's'} with the training tune “${n.title}” (its longest run in common with any of them).`;
  }

  function checksText(c) {
    if (!c) return { text: '', kind: '' };
    const problems = [];
    if (c.read === false) problems.push('the reader rejected it');
    if (c.error) problems.push(c.error);
    if (c.off_meter_bars) problems.push(`${c.off_meter_bars} bar${c.off_meter_bars === 1 ? '' : 's'} off the meter`);
    if (typeof c.structure === 'string') problems.push(c.structure);
    if (Array.isArray(c.problems)) for (const p of c.problems) problems.push(problemText(p));
    const ok = c.ok !== undefined ? c.ok && problems.length === 0 : problems.length === 0;
    if (ok) return { text: 'Checks: reads cleanly, every bar fits the meter, the form is whole.', kind: 'good' };
    return { text: `Checks: ${problems.join('; ') || 'failed'}.`, kind: 'error' };
  }

  function problemText(p) {
    if (typeof p === 'string') return p;
    const where = p.line ? `line ${p.line}${p.col ? `, column ${p.col}` : ''}: ` : '';
    return `${where}${p.message}`;
  }

  function showTune(t, options = {}) {
    state.tune = t;
    $('tune-title').textContent = t.title || 'Untitled';
    const kind = t.kind === 'variation' ? 'a variation' : t.kind === 'edited' ? 'an edit' : 'composed';
    const meta = [`${kind}`, describe(t), t.seed !== undefined && t.seed !== null ? `seed ${t.seed}` : '']
      .filter(Boolean).join(' · ');
    const metaEl = $('tune-meta');
    metaEl.textContent = meta;
    if (t.parent) {
      metaEl.append(' · from ');
      const a = document.createElement('a');
      a.href = `#${t.parent}`;
      a.textContent = 'its parent';
      metaEl.append(a);
    }
    $('tune-nearest').textContent = nearestText(t);
    const c = checksText(t.checks);
    say($('tune-checks'), c.text, c.kind);

    const text = $('abc-text');
    text.value = t.abc;
    text.rows = Math.min(24, Math.max(8, t.abc.split('\n').length + 1));
    text.disabled = false;
    say($('abc-status'), '');
    $('save-edit').disabled = true;
    $('revert-edit').disabled = true;
    for (const id of ['player', 'vary', 'downloads']) $(id).disabled = false;
    $('star').setAttribute('aria-pressed', String(!!t.starred));
    $('star').textContent = t.starred ? '★ Starred' : '☆ Star';
    const bars = t.bars || 0;
    const vb = $('vary-bar');
    if (bars > 1) {
      vb.max = bars - 1;
      if (+vb.value >= bars) vb.value = Math.max(1, Math.floor(bars / 2));
    }
    $('new-b').disabled = !hasTwoParts(t);
    $('new-b').title = $('new-b').disabled ? 'This tune has no second part to replace' : '';
    $('part').querySelector('option[value="B"]').disabled = !hasTwoParts(t);
    if ($('part').value === 'B' && !hasTwoParts(t)) $('part').value = '';

    render(t.abc);
    updateAudio();
    markCurrentInHistory();
    if (location.hash !== `#${t.id}`) history.replaceState(null, '', `#${t.id}`);
    if (options.focus) $('tune').focus();
  }

  function hasTwoParts(t) {
    const s = t.settings || {};
    if (s.parts && s.parts !== 'free') return String(s.parts).length >= 2;
    return partBStart(t.abc) > 0;
  }

  function render(abc) {
    const warnings = $('notation-warnings');
    if (!window.ABCJS) {
      say(warnings, 'The notation library did not load (/vendor/abcjs-basic-min.js).', 'error');
      return;
    }
    stopHighlight();
    // N: lines (the command that made the tune) become comments of the same
    // length, so abcjs does not print them and character offsets still match.
    const shown = abc.replace(/^N:/gm, '%N');
    const options = {
      add_classes: true,
      visualTranspose: parseInt($('transpose').value, 10) || 0,
      paddingleft: 0, paddingright: 0,
    };
    if (narrowScreen.matches) {
      // A phone: two bars a line at a readable size instead of the tune's own lines shrunk.
      options.staffwidth = Math.max(200, $('notation').clientWidth - 12);
      options.wrap = { minSpacing: 1.4, maxSpacing: 2.4, preferredMeasuresPerLine: 2 };
    } else {
      options.responsive = 'resize';
    }
    $('notation').removeAttribute('style');  // abcjs's sizes from the last drawing
    const visuals = window.ABCJS.renderAbc('notation', shown, options);
    state.visual = visuals[0] || null;
    state.timelineKey = '';
    const w = (state.visual && state.visual.warnings) || [];
    say(warnings, w.length ? `abcjs: ${w.map((x) => x.replace(/<[^>]*>/g, '')).join('; ')}` : '', w.length ? 'error' : '');
    $('notation').setAttribute('aria-label', `Sheet music of ${state.tune ? state.tune.title : 'the tune'}`);
  }

  // ---- editing the ABC --------------------------------------------------

  function onEdit() {
    if (!state.tune) return;
    const text = $('abc-text').value;
    const dirty = text !== state.tune.abc;
    $('revert-edit').disabled = !dirty;
    $('save-edit').disabled = true;
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(() => checkEdit(text, dirty), 350);
  }

  async function checkEdit(text, dirty) {
    render(text);
    if (!dirty) {
      say($('abc-status'), '');
      return;
    }
    const seq = ++state.checkSeq;
    say($('abc-status'), 'Checking…');
    const r = await api('POST', '/api/check', { abc: text });
    if (seq !== state.checkSeq) return;  // a newer edit is being checked
    if (!r.ok) return say($('abc-status'), `Could not check: ${r.data.error}`, 'error');
    if (r.data.ok) {
      say($('abc-status'), `Reads cleanly: ${r.data.bars} bars. Save it to hear it and keep it.`, 'good');
      $('save-edit').disabled = false;
    } else {
      const problems = (r.data.problems || []).map(problemText);
      say($('abc-status'), `Problems: ${problems.join('; ') || r.data.error || 'the checks failed'}`, 'error');
    }
  }

  async function saveEdit() {
    const r = await api('POST', '/api/tunes', { abc: $('abc-text').value, parent: state.tune.id });
    if (!r.ok) {
      const problems = (r.data.problems || []).map(problemText);
      return say($('abc-status'), `Not saved: ${r.data.error}${problems.length ? ` (${problems.join('; ')})` : ''}`, 'error');
    }
    addToHistory(r.data);
    showTune(r.data);
    say($('abc-status'), `Saved as a new tune, “${r.data.title}”.`, 'good');
  }

  function revertEdit() {
    if (!state.tune) return;
    $('abc-text').value = state.tune.abc;
    onEdit();
  }

  // ---- listening --------------------------------------------------------

  function autoLilt(t) {
    const rhythm = (t.rhythm || (t.settings && t.settings.rhythm) || '').toLowerCase();
    if (SWUNG_RHYTHMS.includes(rhythm)) return { lilt: 'swing', why: `${rhythm}s are swung` };
    if (rhythm === 'reel' && dottedShare(t.abc) >= 0.25) {
      return { lilt: 'swing', why: 'a reel written dotted, played like a hornpipe' };
    }
    return { lilt: 'straight', why: rhythm ? `${rhythm}s are played even` : 'even notes' };
  }

  // Share of the body's bars holding a broken-rhythm mark (> or <).
  function dottedShare(abc) {
    const body = abcBody(abc);
    const bars = body.split('|').filter((b) => /[A-Ga-g]/.test(b));
    if (!bars.length) return 0;
    return bars.filter((b) => /[<>]/.test(b.replace(/"[^"]*"/g, ''))).length / bars.length;
  }

  function abcBody(abc) {
    const m = /^K:.*$/m.exec(abc || '');
    return m ? abc.slice(m.index + m[0].length) : '';
  }

  // Offset in the ABC text where the second part starts, as the server cuts
  // parts: after the first closing repeat or double bar of the body (a second
  // ending included), past bar lines and spaces; -1 if there is none.
  function partBStart(abc) {
    const m = /^K:.*$/m.exec(abc || '');
    if (!m) return -1;
    const body = m.index + m[0].length;
    const close = /:\||\|\||\|\]/g;
    close.lastIndex = body;
    let end = close.exec(abc);
    if (!end) return -1;
    let i = end.index + end[0].length;
    // A second ending ("|2" or "[2") after the repeat belongs to the first part.
    if (/^\s*\|?\s*\[?2/.test(abc.slice(i, i + 8))) {
      const next = /\|\||\|\]|\|:|:\||\|/g;
      next.lastIndex = abc.indexOf('2', i) + 1;
      end = next.exec(abc);
      if (!end) return -1;
      i = end.index + end[0].length;
    }
    while (i < abc.length && /[\s|:\]]/.test(abc[i])) ++i;
    return i < abc.length && abc[i] !== '%' ? i : -1;
  }

  function playSettings() {
    const t = state.tune;
    let lilt = $('lilt').value;
    let why = '';
    if (lilt === 'auto') ({ lilt, why } = autoLilt(t));
    const tempo = clampInt($('tempo'), 140);
    const transpose = clampInt($('transpose'), 0);
    return { lilt, why, tempo, transpose, part: $('part').value };
  }

  function clampInt(input, fallback) {
    let v = parseInt(input.value, 10);
    if (Number.isNaN(v)) v = fallback;
    if (input.min !== '') v = Math.max(v, +input.min);
    if (input.max !== '') v = Math.min(v, +input.max);
    return v;
  }

  function fileUrl(ext, p) {
    const q = new URLSearchParams();
    if (p.transpose) q.set('transpose', p.transpose);
    if (ext === 'mid' || ext === 'wav') {
      q.set('tempo', p.tempo);
      q.set('lilt', p.lilt);
      if (p.part && ext === 'wav') q.set('part', p.part);
    }
    const s = q.toString();
    return `/api/tunes/${encodeURIComponent(state.tune.id)}.${ext}${s ? `?${s}` : ''}`;
  }

  function updateAudio() {
    if (!state.tune) return;
    const p = playSettings();
    const audio = $('audio');
    const url = fileUrl('wav', p);
    if (audio.getAttribute('src') !== url) {
      const wasPlaying = !audio.paused;
      audio.pause();
      audio.preload = 'metadata';
      audio.src = url;
      if (wasPlaying) audio.play().catch(() => {});
    }
    audio.loop = $('loop').checked;
    for (const ext of ['abc', 'mid', 'wav', 'svg']) {
      const a = $(`dl-${ext}`);
      a.href = fileUrl(ext, p);
    }
    const bits = [`♩ = ${p.tempo}`, p.lilt + (p.why ? ` (${p.why})` : '')];
    if (p.part) bits.push(`the ${p.part} part only`);
    if (p.transpose) bits.push(`transposed ${p.transpose > 0 ? '+' : ''}${p.transpose}`);
    if ($('loop').checked) bits.push('looping');
    say($('player-status'), `Plays ${bits.join(', ')}.`);
  }

  function onTransposeChange() {
    if (!state.tune) return;
    render($('abc-text').value);
    updateAudio();
  }

  async function togglePlay() {
    const audio = $('audio');
    if (!audio.paused) {
      audio.pause();
      return;
    }
    say($('player-status'), 'Loading the audio…');
    try {
      await audio.play();
    } catch (e) {
      say($('player-status'), `Could not play: ${audio.error ? `the server's WAV failed (code ${audio.error.code})` : e.message}`, 'error');
    }
  }

  // The times at which the notes sound in the WAV: abcjs's timing of the drawn
  // tune (repeats and endings played as abc2midi plays them) at the WAV's tempo.
  async function buildTimeline() {
    const p = playSettings();
    const key = $('audio').getAttribute('src');
    if (state.timelineKey === key) return;
    state.timelineKey = key;
    state.timeline = [];
    if (!state.visual) return;
    let events = [];
    try {
      const timer = new window.ABCJS.TimingCallbacks(state.visual, { qpm: abcjsBpm(p.tempo) });
      events = timer.noteTimings.filter((e) => e.type === 'event' && e.elements && e.elements.length);
    } catch (e) {
      say($('player-status'), `No highlighting: abcjs could not time the tune (${e.message}).`, 'error');
    }
    // abcjs's timing: the whole tune with its repeats; a part is cut out of it.
    let list = events.map((e) => ({ t: e.milliseconds / 1000, els: e.elements.flat(), c: Math.min(...(e.startCharArray || [0])) }));
    if (p.part) {
      const b = partBStart(state.tune.abc);
      const firstB = b < 0 ? -1 : list.findIndex((n) => n.c >= b);
      if (firstB >= 0) {
        if (p.part === 'A') list = list.slice(0, firstB);
        else {
          const t0 = list[firstB].t;
          list = list.slice(firstB).map((n) => ({ ...n, t: n.t - t0 }));
        }
      }
    }
    state.timeline = list;
  }

  // abcjs counts its tempo in the meter's beat (a dotted quarter in 6/8); the
  // server's tempo is in quarter notes, as abc2midi's is.
  function abcjsBpm(qpm) {
    const beat = state.visual && state.visual.getBeatLength ? state.visual.getBeatLength() : 0.25;
    return Math.max(1, Math.round((qpm * 0.25) / beat));
  }

  function highlightAt(seconds) {
    const tl = state.timeline;
    let lo = 0;
    let hi = tl.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tl[mid].t <= seconds + 0.02) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found === state.litIndex) return;
    for (const el of state.lit) el.classList.remove('playing');
    state.lit = found >= 0 ? tl[found].els : [];
    for (const el of state.lit) el.classList.add('playing');
    state.litIndex = found;
    $('notation').dataset.playingIndex = String(found);
  }

  function tick() {
    highlightAt($('audio').currentTime);
    state.raf = requestAnimationFrame(tick);
  }

  async function startHighlight() {
    $('play').textContent = 'Pause';
    $('play').setAttribute('aria-pressed', 'true');
    updateAudio();
    if ($('abc-text').value !== state.tune.abc) {
      say($('player-status'), 'Playing the saved tune: save your edits to hear them.');
    }
    await buildTimeline();
    cancelAnimationFrame(state.raf);
    state.raf = requestAnimationFrame(tick);
  }

  function stopHighlight() {
    cancelAnimationFrame(state.raf);
    state.raf = 0;
    for (const el of state.lit) el.classList.remove('playing');
    state.lit = [];
    state.litIndex = -1;
    $('play').textContent = 'Play';
    $('play').setAttribute('aria-pressed', 'false');
  }

  // ---- variations -------------------------------------------------------

  async function vary(body, label) {
    const status = $('vary-status');
    say(status, `${label}…`);
    for (const b of [$('new-b'), $('vary-from')]) b.disabled = true;
    const r = await api('POST', `/api/tunes/${encodeURIComponent(state.tune.id)}/vary`, body);
    $('vary-from').disabled = false;
    if (!r.ok) {
      $('new-b').disabled = !hasTwoParts(state.tune);
      return say(status, r.data.error, 'error');
    }
    addToHistory(r.data);
    showTune(r.data);
    say(status, `${label}: “${r.data.title}”.`, 'good');
  }

  // ---- stars, history ---------------------------------------------------

  async function setStar(t, starred) {
    const r = await api('POST', `/api/tunes/${encodeURIComponent(t.id)}/star`, { starred });
    if (!r.ok) return say($('history-status'), r.data.error, 'error');
    replaceInHistory(r.data);
    if (state.tune && state.tune.id === r.data.id) {
      state.tune.starred = r.data.starred;
      $('star').setAttribute('aria-pressed', String(!!r.data.starred));
      $('star').textContent = r.data.starred ? '★ Starred' : '☆ Star';
    }
  }

  async function deleteTune(t, button) {
    if (state.deleteArmed !== button) {
      // A second press within a few seconds deletes: no modal dialog, keyboard friendly.
      if (state.deleteArmed) state.deleteArmed.textContent = 'Delete';
      state.deleteArmed = button;
      button.textContent = 'Press again to delete';
      setTimeout(() => {
        if (state.deleteArmed === button) { state.deleteArmed = null; button.textContent = 'Delete'; }
      }, 4000);
      return;
    }
    state.deleteArmed = null;
    const r = await api('DELETE', `/api/tunes/${encodeURIComponent(t.id)}`);
    if (!r.ok && r.status !== 404) return say($('history-status'), r.data.error, 'error');
    state.history = state.history.filter((x) => x.id !== t.id);
    state.historyTotal = Math.max(0, state.historyTotal - 1);
    drawHistory();
    say($('history-status'), `Deleted “${t.title}”.`);
    if (state.tune && state.tune.id === t.id) clearTune();
    $('history-list').querySelector('button') ? $('history-list').querySelector('button').focus() : $('compose').focus();
  }

  function clearTune() {
    state.tune = null;
    state.visual = null;
    $('audio').pause();
    $('audio').removeAttribute('src');
    stopHighlight();
    $('notation').textContent = '';
    $('tune-title').textContent = 'No tune yet';
    $('tune-meta').textContent = 'Choose settings and press Compose, or open a tune from the history.';
    $('tune-nearest').textContent = '';
    say($('tune-checks'), '');
    $('abc-text').value = '';
    $('abc-text').disabled = true;
    for (const id of ['player', 'vary', 'downloads']) $(id).disabled = true;
    history.replaceState(null, '', location.pathname);
  }

  async function loadHistory(more) {
    const page = more ? state.historyPage + 1 : 1;
    const q = new URLSearchParams({ page, per_page: PER_PAGE });
    if ($('starred-only').checked) q.set('starred', '1');
    const r = await api('GET', `/api/tunes?${q}`);
    if (!r.ok) return say($('history-status'), `Could not list the tunes: ${r.data.error}`, 'error');
    state.history = more ? state.history.concat(r.data.tunes) : r.data.tunes;
    state.historyPage = page;
    state.historyTotal = r.data.total;
    drawHistory();
  }

  function addToHistory(t) {
    if (state.history.some((x) => x.id === t.id)) return replaceInHistory(t);
    if ($('starred-only').checked && !t.starred) return;
    state.history.unshift(t);
    state.historyTotal += 1;
    drawHistory();
  }

  function replaceInHistory(t) {
    state.history = state.history.map((x) => (x.id === t.id ? t : x));
    if ($('starred-only').checked && !t.starred) state.history = state.history.filter((x) => x.id !== t.id);
    drawHistory();
  }

  function drawHistory() {
    const list = $('history-list');
    const focusedId = document.activeElement && document.activeElement.closest('li')
      ? document.activeElement.closest('li').dataset.id : null;
    const focusedRole = document.activeElement && document.activeElement.dataset.role;
    list.textContent = '';
    for (const t of state.history) {
      const li = document.createElement('li');
      li.dataset.id = t.id;
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'open';
      open.dataset.role = 'open';
      const title = document.createElement('span');
      title.className = 'title';
      title.textContent = t.title || 'Untitled';
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = [t.kind !== 'composed' ? t.kind : '', describe(t), shortDate(t.created)].filter(Boolean).join(' · ');
      open.append(title, meta);
      open.addEventListener('click', () => openTune(t.id, true));
      const star = document.createElement('button');
      star.type = 'button';
      star.className = 'star';
      star.dataset.role = 'star';
      star.setAttribute('aria-pressed', String(!!t.starred));
      star.setAttribute('aria-label', `Star “${t.title}”`);
      star.textContent = t.starred ? '★' : '☆';
      star.addEventListener('click', () => setStar(t, !t.starred));
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'delete';
      del.dataset.role = 'delete';
      del.setAttribute('aria-label', `Delete “${t.title}”`);
      del.textContent = 'Delete';
      del.addEventListener('click', () => deleteTune(t, del));
      li.append(open, star, del);
      list.appendChild(li);
      if (t.id === focusedId) {
        const again = li.querySelector(`[data-role="${focusedRole}"]`);
        if (again) again.focus();
      }
    }
    markCurrentInHistory();
    $('history-more').hidden = state.history.length >= state.historyTotal;
    const starred = $('starred-only').checked ? 'starred ' : '';
    say($('history-status'), state.historyTotal ? `${state.history.length} of ${state.historyTotal} ${starred}tunes` : `No ${starred}tunes yet.`);
  }

  function markCurrentInHistory() {
    for (const li of $('history-list').children) {
      const current = state.tune && li.dataset.id === state.tune.id;
      li.classList.toggle('current', !!current);
      li.querySelector('.open').toggleAttribute('aria-current', !!current);
    }
  }

  function shortDate(s) {
    if (!s) return '';
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) return '';
    return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  async function openTune(id, focus) {
    if (state.tune && state.tune.id === id) {
      if (focus) $('tune').focus();
      return;
    }
    const known = state.history.find((x) => x.id === id);
    if (known && known.abc) return showTune(known, { focus });
    const r = await api('GET', `/api/tunes/${encodeURIComponent(id)}`);
    if (!r.ok) return say($('history-status'), `Could not open tune ${id}: ${r.data.error}`, 'error');
    showTune(r.data, { focus });
  }

  // ---- wiring -----------------------------------------------------------

  function wire() {
    $('compose-form').addEventListener('submit', compose);
    $('f-parts').addEventListener('change', () => { $('f-bars').disabled = $('f-parts').value === 'free'; });
    $('abc-text').addEventListener('input', onEdit);
    $('save-edit').addEventListener('click', saveEdit);
    $('revert-edit').addEventListener('click', revertEdit);
    $('play').addEventListener('click', togglePlay);
    const audio = $('audio');
    audio.addEventListener('play', startHighlight);
    audio.addEventListener('pause', stopHighlight);
    audio.addEventListener('ended', stopHighlight);
    audio.addEventListener('loadedmetadata', () => {
      $('player').dataset.duration = String(audio.duration);
    });
    audio.addEventListener('error', () => {
      if (audio.getAttribute('src')) say($('player-status'), 'The audio could not be loaded from the server.', 'error');
    });
    for (const id of ['tempo', 'lilt', 'part', 'loop']) $(id).addEventListener('change', updateAudio);
    $('transpose').addEventListener('change', onTransposeChange);
    $('new-b').addEventListener('click', () => vary({ keep: 'A' }, 'New B part'));
    $('vary-from').addEventListener('click', () => {
      const n = clampInt($('vary-bar'), 1);
      vary({ keep_bars: n }, `Kept ${n} bar${n === 1 ? '' : 's'}, composed the rest`);
    });
    $('star').addEventListener('click', () => state.tune && setStar(state.tune, !state.tune.starred));
    $('starred-only').addEventListener('change', () => loadHistory(false));
    $('history-more').addEventListener('click', () => loadHistory(true));
    narrowScreen.addEventListener('change', () => { if (state.tune) render($('abc-text').value); });
    window.addEventListener('hashchange', () => {
      const id = location.hash.slice(1);
      if (id && (!state.tune || state.tune.id !== id)) openTune(id, true);
    });
  }

  async function start() {
    wire();
    await Promise.all([loadModel(), loadHistory(false)]);
    const id = location.hash.slice(1);
    if (/^[a-z0-9]{1,32}$/.test(id)) await openTune(id, false);
    document.body.dataset.ready = 'yes';
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
