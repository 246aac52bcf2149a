// The session page: asciinema-player fed by the API's cast, the command sidebar (click to seek,
// current command highlighted, [ and ] to jump), speed, skip idle, full screen, the text tab with
// find, and following an open CloudWatch-streamed session. Served as a static file: the page's
// Content-Security-Policy allows no inline script. Evidence is only ever set as textContent.
(() => {
  const root = document.getElementById('panel-replay');
  if (!root || !window.AsciinemaPlayer) return;
  const castUrl = root.dataset.cast;
  const container = document.getElementById('player');
  const list = document.getElementById('commands');
  const speed = document.getElementById('speed');
  const skipIdle = document.getElementById('skip-idle');
  const live = root.dataset.live === '1';
  let player = null;
  let castText = '';
  let idleLimit = 2;
  let markerTimes = [];
  let current = -1;
  let pendingStart = root.dataset.start === '' ? null : Number(root.dataset.start);

  function buttons() {
    return Array.from(list.querySelectorAll('button.cmd'));
  }

  /** Marker times as the player computes them: each pause capped at the idle limit when skipping. */
  function parseCast(text) {
    const lines = text.split('\n');
    const header = JSON.parse(lines[0]);
    idleLimit = header.idle_time_limit || 2;
    const cap = skipIdle.checked ? idleLimit : Number.POSITIVE_INFINITY;
    const times = [];
    const labels = [];
    let t = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '' || lines[i][0] === '#') continue;
      const ev = JSON.parse(lines[i]);
      t += Math.min(ev[0], cap);
      if (ev[1] === 'm') {
        times.push(t);
        labels.push(ev[2]);
      }
    }
    return { times, labels };
  }

  /** Commands that arrived after the page was rendered (an open session): appended as text. */
  function syncSidebar(labels) {
    const have = buttons().length;
    for (let i = have; i < labels.length; i++) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'cmd';
      b.dataset.index = String(i);
      const code = document.createElement('code');
      code.textContent = labels[i];
      b.appendChild(code);
      li.appendChild(b);
      list.appendChild(li);
    }
    const h = list.parentElement.querySelector('h2');
    if (h) h.textContent = `Commands (${labels.length})`;
  }

  function highlight(index) {
    if (index === current) return;
    current = index;
    for (const b of buttons()) {
      const on = Number(b.dataset.index) === index;
      if (on) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
      if (on) b.scrollIntoView({ block: 'nearest' });
    }
  }

  function indexAt(time) {
    let found = -1;
    for (let i = 0; i < markerTimes.length && markerTimes[i] <= time + 0.05; i++) found = i;
    return found;
  }

  function seekTo(index) {
    if (!player || index < 0 || index >= markerTimes.length) return;
    player.seek({ marker: index }).then(() => highlight(index));
  }

  function create(startAt, autoPlay) {
    if (player) player.dispose();
    const parsed = parseCast(castText);
    markerTimes = parsed.times;
    syncSidebar(parsed.labels);
    player = window.AsciinemaPlayer.create({ data: castText }, container, {
      fit: 'width',
      speed: Number(speed.value),
      idleTimeLimit: skipIdle.checked ? idleLimit : 1e9,
      startAt: startAt,
      autoPlay: autoPlay,
      preload: true,
      terminalFontSize: 'small',
    });
    player.addEventListener('marker', (e) => highlight(e.index));
    root.dataset.ready = '1';
  }

  async function load() {
    const res = await fetch(castUrl, { credentials: 'same-origin' });
    if (!res.ok) {
      container.textContent = `The replay could not be loaded (HTTP ${res.status}).`;
      return;
    }
    castText = await res.text();
    create(0, false);
    if (pendingStart != null) {
      const start = pendingStart;
      pendingStart = null;
      seekTo(start);
    }
  }

  list.addEventListener('click', (e) => {
    const b = e.target.closest('button.cmd');
    if (b) seekTo(Number(b.dataset.index));
  });
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '[' || e.key === ']') {
      e.preventDefault();
      const now = player ? indexAt(player.getCurrentTime()) : current;
      seekTo(e.key === ']' ? now + 1 : Math.max(0, now - 1));
    }
  });
  function recreate() {
    const t = player ? player.getCurrentTime() : 0;
    create(t, false);
  }
  speed.addEventListener('change', recreate);
  skipIdle.addEventListener('change', recreate);
  document.getElementById('fullscreen').addEventListener('click', () => {
    const el = root.querySelector('.player-col');
    if (document.fullscreenElement) document.exitFullscreen();
    else if (el.requestFullscreen) el.requestFullscreen();
  });
  setInterval(() => {
    if (player && markerTimes.length > 0) highlight(indexAt(player.getCurrentTime()));
  }, 250);

  if (live) {
    setInterval(async () => {
      const res = await fetch(castUrl, { credentials: 'same-origin' });
      if (!res.ok) return;
      const text = await res.text();
      if (text.length === castText.length) return;
      const atEnd = player && Math.abs((player.getDuration() || 0) - player.getCurrentTime()) < 1;
      castText = text;
      const t = player ? player.getCurrentTime() : 0;
      create(t, false);
      if (atEnd) player.seek('100%');
    }, 5000);
  }

  // Tabs: Replay and Text. The text is fetched on first open and only ever set as textContent.
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  const textPanel = document.getElementById('panel-text');
  const pre = document.getElementById('transcript-text');
  let textLines = null;
  function select(tab) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (tab.id === 'tab-text' && textLines == null) loadText();
  }
  for (const t of tabs) {
    t.addEventListener('click', () => select(t));
    t.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = tabs[(tabs.indexOf(t) + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      select(next);
    });
  }
  async function loadText() {
    textLines = [];
    const res = await fetch(textPanel.dataset.text, { credentials: 'same-origin' });
    if (!res.ok) {
      pre.textContent = `The transcript could not be loaded (HTTP ${res.status}).`;
      return;
    }
    const text = await res.text();
    textLines = text.split('\n');
    pre.textContent = text;
  }
  const find = document.getElementById('find');
  const count = document.getElementById('find-count');
  find.addEventListener('input', () => {
    const needle = find.value.toLowerCase();
    if (!textLines) return;
    if (needle === '') {
      pre.textContent = textLines.join('\n');
      count.textContent = '';
      return;
    }
    pre.textContent = '';
    let n = 0;
    for (const line of textLines) {
      const at = line.toLowerCase().indexOf(needle);
      if (at < 0) continue;
      n++;
      if (n > 2000) continue;
      const row = document.createElement('div');
      row.appendChild(document.createTextNode(line.slice(0, at)));
      const mark = document.createElement('mark');
      mark.textContent = line.slice(at, at + needle.length);
      row.appendChild(mark);
      row.appendChild(document.createTextNode(line.slice(at + needle.length)));
      pre.appendChild(row);
    }
    count.textContent = `${n} matching line${n === 1 ? '' : 's'}${n > 2000 ? ' (first 2000 shown)' : ''}`;
  });

  load();
})();
