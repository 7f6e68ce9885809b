// The window rating device (评价器). It pairs itself with a one-time code,
// keeps its device token in localStorage, listens to /device/events
// (server-sent events read through fetch, so that the token goes in a
// header; polling /device/state where streams are missing), and queues
// ratings in localStorage with an id of its own, sending them until the
// server has them: the server takes each id once. A rating left half done
// (stars chosen, not sent) when the idle timer runs is sent as it stands:
// the citizen gave it, and the next one at the window must not find it.
(function () {
  'use strict';
  var W = JSON.parse(document.getElementById('words').textContent);
  var LS = window.localStorage;
  var TOKEN = 'haocha.device.token', QUEUE = 'haocha.device.queue', DONE = 'haocha.device.done';
  var RATE_TIMEOUT = 1000 * (+document.getElementById('main').dataset.idle || 90), THANKS_MS = 4000, RETRY_MS = 3000;
  // How long a bad review's work order stays up for the citizen to scan.
  var ORDER_MS = 60000;
  var screen = null, current = null, stars = 0, timer = null, flushing = false;
  var thanksTimer = null;
  var answers = {}; // client id → the server's receipt, for the thanks screen
  window.haochaShown = {}; // transaction → when its rating screen appeared (ms), for the browser test

  function $(id) { return document.getElementById(id); }
  function show(id) {
    ['pair', 'idle', 'rate', 'thanks'].forEach(function (s) { $(s).hidden = s !== id; });
    document.body.setAttribute('data-screen', id);
  }
  function say(t) { $('status').textContent = t || ''; }
  // unpaired: the server refuses the token (403 naming "token").
  async function unpaired(r) {
    if (r.status !== 403) return false;
    try { return (await r.clone().json()).field === 'token'; } catch (e) { return false; }
  }
  // forget the token of an unpaired device and start again from pairing:
  // one loop of each kind, not a second beside the first.
  function forget() { LS.removeItem(TOKEN); location.reload(); }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function auth() { return { 'Authorization': 'Bearer ' + LS.getItem(TOKEN), 'Content-Type': 'application/json' }; }
  function load(key, empty) { try { return JSON.parse(LS.getItem(key)) || empty; } catch (e) { return empty; } }
  function save(key, v) { LS.setItem(key, JSON.stringify(v)); }
  function newId() {
    var b = new Uint8Array(16), s = '';
    window.crypto.getRandomValues(b);
    b.forEach(function (x) { s += (x < 16 ? '0' : '') + x.toString(16); });
    return s;
  }

  // Pairing: show a code until an administrator has entered it.
  async function pair() {
    LS.removeItem(TOKEN);
    show('pair');
    for (;;) {
      var p;
      try {
        var r = await fetch('/device/pair', { method: 'POST' });
        if (!r.ok) { await sleep(RETRY_MS * 10); continue; }
        p = await r.json();
      } catch (e) { say(W['device.offline']); await sleep(RETRY_MS); continue; }
      say('');
      $('pair-code').textContent = p.code.slice(0, 4) + ' ' + p.code.slice(4);
      var until = Date.parse(p.expires_at);
      while (Date.now() < until) {
        await sleep(2000);
        try {
          var c = await fetch('/device/claim', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ claim: p.claim }) });
          if (c.status === 200) { LS.setItem(TOKEN, (await c.json()).token); return; }
          if (c.status !== 202) break;
        } catch (e) { say(W['device.offline']); }
      }
    }
  }

  // The screen from the server: who serves here and what waits.
  function apply(sc) {
    screen = sc;
    say('');
    $('place').textContent = sc.place;
    $('staff-name').textContent = sc.staff_name || '';
    $('staff-code').textContent = sc.staff_code || '';
    $('rate-staff').textContent = sc.staff_name ? W['device.staff'] + ': ' + sc.staff_name + ' (' + sc.staff_code + ')' : '';
    var shown = document.body.getAttribute('data-screen');
    var w = waiting();
    if (shown === 'rate' && current && !sc.pending.some(function (p) { return p.transaction === current.transaction; })) {
      next(); // rated elsewhere (by phone), or its window closed
    } else if (shown === 'rate' && current && stars === 0 && w.length > 0 && Date.parse(w[0].at) > Date.parse(current.at)) {
      rate(w[0]); // a newer transaction, and nobody has begun rating: the citizen at the window now
    } else if (shown === 'idle' || shown === null || shown === 'pair') {
      next();
    }
  }

  function waiting() {
    var done = load(DONE, {});
    return ((screen && screen.pending) || []).filter(function (p) {
      return !done[p.transaction] || Date.parse(p.at) > done[p.transaction];
    });
  }
  function markDone(p) {
    var done = load(DONE, {});
    done[p.transaction] = Date.parse(p.at);
    var keys = Object.keys(done);
    if (keys.length > 200) keys.slice(0, keys.length - 200).forEach(function (k) { delete done[k]; });
    save(DONE, done);
  }

  function next() {
    var w = waiting();
    if (w.length > 0) { rate(w[0]); } else { current = null; show('idle'); }
  }

  function rate(p) {
    current = p; stars = 0;
    $('rate-item').textContent = p.item;
    $('rate-stage').textContent = p.stage_name;
    $('rate-qr').innerHTML = p.qr;
    step('stars');
    $('comment').value = '';
    show('rate');
    document.body.setAttribute('data-transaction', p.transaction);
    if (!window.haochaShown[p.transaction]) window.haochaShown[p.transaction] = Date.now();
    touch();
  }

  // The rating screen's two steps: the stars, then what they are for.
  function step(s) {
    $('stars').hidden = s !== 'stars';
    $('details').hidden = s !== 'details';
    document.body.setAttribute('data-step', s);
  }

  // Back to idle when nobody touches the rating screen; stars chosen
  // are sent as they stand.
  function touch() {
    clearTimeout(timer);
    if (document.body.getAttribute('data-screen') !== 'rate') return;
    timer = setTimeout(function () {
      if (stars > 0 && current) { deliver(true); return; }
      waiting().forEach(markDone);
      next();
    }, RATE_TIMEOUT);
  }

  function toggle(b) { b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true'); }

  function choose(n) {
    stars = n;
    $('chosen').textContent = '★'.repeat(n) + ' ' + W['stars.' + n];
    step('details');
    var bad = n <= 2;
    $('details').classList.toggle('bad', bad);
    var dims = $('dims'), tags = $('tags');
    dims.hidden = tags.hidden = !bad;
    dims.querySelectorAll('.dim').forEach(function (e) { e.remove(); });
    tags.querySelectorAll('button').forEach(function (e) { e.remove(); });
    if (bad) {
      (screen.dimensions || []).forEach(function (d) {
        var row = document.createElement('div');
        row.className = 'dim';
        row.setAttribute('role', 'group');
        var name = document.createElement('span');
        name.id = 'dim-' + d.code;
        name.textContent = d.name;
        row.setAttribute('aria-labelledby', name.id);
        row.appendChild(name);
        for (var i = 1; i <= 5; i++) {
          var b = document.createElement('button');
          b.type = 'button'; b.textContent = i; b.dataset.dim = d.code; b.dataset.value = i;
          b.setAttribute('aria-pressed', 'false');
          b.setAttribute('aria-label', d.name + ' ' + i + ' ' + W['stars.' + i]);
          row.appendChild(b);
        }
        dims.appendChild(row);
      });
      ['attitude', 'materials', 'multiple_trips', 'missed_deadline', 'other'].forEach(function (t) {
        var b = document.createElement('button');
        b.type = 'button'; b.textContent = W['tag.' + t]; b.dataset.tag = t;
        b.setAttribute('aria-pressed', 'false');
        tags.appendChild(b);
      });
    }
    $('send').focus();
  }

  function collect() {
    var r = { client_id: newId(), transaction: current.transaction, stage: current.stage, stars: stars,
      comment: $('comment').value.trim() };
    var dims = {};
    $('dims').querySelectorAll('button[aria-pressed=true]').forEach(function (b) { dims[b.dataset.dim] = +b.dataset.value; });
    if (Object.keys(dims).length) r.dimensions = dims;
    var tags = [];
    $('tags').querySelectorAll('button[aria-pressed=true]').forEach(function (b) { tags.push(b.dataset.tag); });
    if (tags.length) r.tags = tags;
    return r;
  }

  // The queue: kept until the server answers for each rating.
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      var q = load(QUEUE, []);
      while (q.length > 0) {
        var r;
        try {
          r = await fetch('/device/reviews', { method: 'POST', headers: auth(), body: JSON.stringify(q[0]) });
        } catch (e) { say(W['device.offline']); return false; }
        if (await unpaired(r)) { forget(); return false; }
        if (r.status === 429 || r.status >= 500) return false;
        // Taken (201), taken before (200), or refused for good (409 rated
        // already, 422, 403): either way not sent again.
        if (r.ok) { try { answers[q[0].client_id] = await r.json(); } catch (e) { /* the receipt is a nicety */ } }
        q = load(QUEUE, []);
        q.shift();
        save(QUEUE, q);
      }
      say('');
      return true;
    } finally { flushing = false; }
  }

  // deliver queues the rating on the screen and sends it. Unattended
  // (the idle timer ran), it goes straight back to idle: a work order's
  // private link is for the citizen who rated, not the next in line.
  async function deliver(unattended) {
    clearTimeout(timer);
    var r = collect();
    var q = load(QUEUE, []);
    q.push(r);
    save(QUEUE, q);
    markDone(current);
    current = null; stars = 0;
    if (unattended) { flush(); next(); return; }
    $('order').hidden = true;
    $('queued').hidden = true;
    $('held').hidden = true;
    show('thanks');
    var sent = await flush();
    $('queued').hidden = sent;
    var a = answers[r.client_id];
    delete answers[r.client_id];
    var wait = THANKS_MS;
    // A held review is received and being checked: its order is not
    // with the 12345 operator until a supervisor releases it.
    var held = !!(a && a.held);
    $('held').hidden = !held;
    $('order-placed').hidden = held;
    if (held) wait = ORDER_MS;
    if (a && a.work_order && a.follow_qr) {
      $('order-number').textContent = a.work_order;
      $('order-qr').innerHTML = a.follow_qr;
      $('order').hidden = false;
      wait = ORDER_MS;
    }
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(function () { if (document.body.getAttribute('data-screen') === 'thanks') next(); }, wait);
  }
  function send(ev) { ev.preventDefault(); deliver(false); }

  // Listen for the screen: a stream while it lasts, else a poll.
  async function listen() {
    var streams = window.ReadableStream && window.TextDecoder && 'body' in Response.prototype;
    for (;;) {
      try {
        if (!streams) {
          var s = await fetch('/device/state', { headers: auth() });
          if (await unpaired(s)) { forget(); return; }
          if (s.ok) apply(await s.json());
          await sleep(2000);
          continue;
        }
        var r = await fetch('/device/events', { headers: auth() });
        if (await unpaired(r)) { forget(); return; }
        if (!r.ok) throw new Error('status ' + r.status);
        var reader = r.body.getReader(), dec = new TextDecoder(), buf = '';
        for (;;) {
          var chunk = await reader.read();
          if (chunk.done) break;
          buf += dec.decode(chunk.value, { stream: true });
          var at;
          while ((at = buf.indexOf('\n\n')) >= 0) {
            var ev = buf.slice(0, at);
            buf = buf.slice(at + 2);
            if (ev.indexOf('event: unpaired') === 0) { forget(); return; }
            var data = ev.split('\n').filter(function (l) { return l.indexOf('data: ') === 0; })
              .map(function (l) { return l.slice(6); }).join('\n');
            if (data) apply(JSON.parse(data));
          }
        }
      } catch (e) {
        say(W['device.offline']);
        await sleep(RETRY_MS);
      }
    }
  }

  async function start() {
    if (!LS.getItem(TOKEN)) await pair();
    show('idle');
    flush();
    listen();
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest('button');
    touch();
    if (!b) return;
    if (b.dataset.stars) choose(+b.dataset.stars);
    else if (b.dataset.dim) {
      b.parentNode.querySelectorAll('button').forEach(function (o) { o.setAttribute('aria-pressed', 'false'); });
      b.setAttribute('aria-pressed', 'true');
    } else if (b.dataset.tag) toggle(b);
    else if (b.id === 'again') { stars = 0; step('stars'); }
    else if (b.id === 'done') next();
    else if (b.id === 'skip' && current) { markDone(current); next(); }
  });
  document.addEventListener('input', touch);
  $('details').addEventListener('submit', send);
  document.querySelectorAll('#stars button').forEach(function (b) {
    b.querySelector('span').textContent = W['stars.' + b.dataset.stars];
    b.setAttribute('aria-label', b.dataset.stars + ' ' + W['stars.' + b.dataset.stars]);
  });
  window.addEventListener('online', flush);
  setInterval(function () { if (load(QUEUE, []).length) flush(); }, 5000);
  start();
})();
