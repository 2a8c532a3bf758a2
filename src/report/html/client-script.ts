/**
 * The tenant page's only script, inlined and allowed by its hash (page.ts). It reads the account data block
 * (account-data.ts) and renders the account list on demand: search, filters (verdict, kind, role, coverage group,
 * fix), sort, a page of PAGE_SIZE accounts at a time, and each account's details built only when it is opened.
 * Every text is set with textContent, never as markup. Without JavaScript the page still shows the summary, the fix
 * list, the coverage map and the findings: they are plain HTML.
 *
 * Plain ES2020 in a string, kept small; the browser tests (test/browser/) run it in Chromium.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var PAGE_SIZE = 50;
  var VERDICT_RANK = { fail: 0, unknown: 1, pass: 2, exempt: 3 };
  var SYMBOL = { pass: '\u2713', fail: '\u2717', unknown: '?', exempt: '\u2013' };
  var source = document.getElementById('account-data');
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var accounts = data.accounts;
  var fixAccounts = data.fixes || [];
  var $ = function (id) { return document.getElementById(id); };
  var ui = { q: $('q'), verdict: $('f-verdict'), kind: $('f-kind'), role: $('f-role'), sort: $('sort'),
    list: $('account-list'), count: $('account-count'), prev: $('prev'), next: $('next'), page: $('page-info'),
    focus: $('focus'), focusText: $('focus-text'), clear: $('focus-clear') };
  var state = { page: 0, matches: [], focus: null };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function privileged(a) { return !!((a.ro && a.ro.length) || (a.ag && a.ag.length)); }
  function standing(a) { return (a.ro || []).concat(a.ag || []); }
  function haystack(a) {
    if (a._h === undefined) a._h = (a.u + '\n' + a.n + '\n' + a.i + '\n' + standing(a).join('\n')).toLowerCase();
    return a._h;
  }

  function fillSelect(select, values) {
    values.forEach(function (value) { var o = el('option', '', value); o.value = value; select.appendChild(o); });
  }
  var kinds = {}, roles = {};
  accounts.forEach(function (a, index) {
    a._i = index;
    kinds[a.k] = true;
    standing(a).forEach(function (r) { roles[r] = true; });
  });
  fillSelect(ui.kind, Object.keys(kinds).sort());
  fillSelect(ui.role, Object.keys(roles).sort().slice(0, 200));

  function matches(a, query, verdict, kind, role) {
    if (verdict && a.v !== verdict) return false;
    if (kind && a.k !== kind) return false;
    if (role === ':privileged' && !privileged(a)) return false;
    if (role === ':none' && privileged(a)) return false;
    if (role && role.charAt(0) !== ':' && standing(a).indexOf(role) < 0) return false;
    if (state.focus && !state.focus.test(a)) return false;
    return !query || haystack(a).indexOf(query) >= 0;
  }

  var SORTS = {
    report: function (a, b) { return a._i - b._i; },
    upn: function (a, b) { return a.u < b.u ? -1 : a.u > b.u ? 1 : a._i - b._i; },
    verdict: function (a, b) { return (VERDICT_RANK[a.v] - VERDICT_RANK[b.v]) || a._i - b._i; },
    kind: function (a, b) { return a.k < b.k ? -1 : a.k > b.k ? 1 : a._i - b._i; },
    privileged: function (a, b) { return (privileged(b) - privileged(a)) || a._i - b._i; }
  };

  function update(keepPage) {
    var query = ui.q.value.trim().toLowerCase();
    var verdict = ui.verdict.value, kind = ui.kind.value, role = ui.role.value;
    state.matches = accounts.filter(function (a) { return matches(a, query, verdict, kind, role); });
    state.matches.sort(SORTS[ui.sort.value] || SORTS.report);
    if (!keepPage) state.page = 0;
    render();
  }

  function section(parent, title, lines) {
    if (!lines || lines.length === 0) return;
    parent.appendChild(el('h4', '', title));
    var ul = el('ul');
    lines.forEach(function (line) { ul.appendChild(el('li', '', line)); });
    parent.appendChild(ul);
  }

  function gapNode(gap) {
    var box = el('div', gap.s ? 'gap possible' : 'gap');
    box.appendChild(el('p', 'gap-text', (gap.s ? 'Possible gap: ' : 'Gap: ') + gap.d));
    if (gap.e) box.appendChild(el('p', 'muted', 'Example sign-in: ' + gap.e));
    if (gap.p.length) box.appendChild(el('p', 'mono', 'Policies: ' + gap.p.join(', ')));
    if (gap.x) box.appendChild(el('p', 'mono', 'Opened by the exclusions of: ' + gap.x.join(', ')));
    if (gap.c) box.appendChild(el('p', '', gap.c));
    return box;
  }

  function details(a) {
    var body = el('div', 'account-body');
    var facts = ['Kind: ' + a.k + (a.kr ? ' (' + a.kr + ')' : ''), 'Id: ' + a.i,
      'Mechanisms: ' + (a.m.length ? a.m.join(', ') : 'none')];
    if (a.ro) facts.push('Roles: ' + a.ro.join(', '));
    if (a.ag) facts.push('Partner agent groups: ' + a.ag.join(', '));
    if (a.cg) facts.push('Coverage group: ' + a.cg);
    section(body, 'Account', facts);
    section(body, 'Why', a.r.map(function (r) { return data.strings[r]; }));
    if (a.g !== undefined) {
      body.appendChild(el('h4', '', 'Sign-ins that get through without MFA'));
      data.gapLists[a.g].forEach(function (g) { body.appendChild(gapNode(data.gaps[g])); });
    }
    section(body, 'Evidence from Entra', a.ev);
    if (a.pc !== undefined) section(body, 'Partner Center impact', [data.strings[a.pc]]);
    section(body, 'Warnings', (a.w || []).map(function (w) { return data.strings[w]; }));
    if (a.ac) section(body, 'Baseline', [a.ac]);
    return body;
  }

  function row(a) {
    var li = el('li');
    var d = el('details');
    d.id = 'account-' + a._i;
    var s = el('summary');
    var badge = el('span', 'badge v-' + a.v, (SYMBOL[a.v] || '') + ' ' + a.v.toUpperCase());
    s.appendChild(badge);
    s.appendChild(el('span', 'upn', a.u || a.i));
    s.appendChild(el('span', 'muted', a.n));
    s.appendChild(el('span', 'muted', a.k));
    if (privileged(a)) s.appendChild(el('span', '', standing(a).join(', ')));
    d.appendChild(s);
    d.addEventListener('toggle', function () {
      if (d.open && d.childNodes.length === 1) d.appendChild(details(a));
    });
    li.appendChild(d);
    return li;
  }

  function render() {
    var total = state.matches.length;
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * PAGE_SIZE;
    var shown = state.matches.slice(start, start + PAGE_SIZE);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (a) { fragment.appendChild(row(a)); });
    ui.list.replaceChildren(fragment);
    ui.count.textContent = total + ' of ' + accounts.length + ' accounts match' +
      (total > 0 ? '; showing ' + (start + 1) + '\u2013' + (start + shown.length) : '');
    ui.page.textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
    ui.prev.disabled = state.page === 0;
    ui.next.disabled = state.page >= pages - 1;
  }

  function setFocus(label, test) {
    state.focus = { test: test };
    ui.focusText.textContent = 'Showing only: ' + label;
    ui.focus.hidden = false;
    ui.verdict.value = ''; ui.kind.value = ''; ui.role.value = ''; ui.q.value = '';
    update();
    $('accounts').scrollIntoView();
    ui.q.focus();
  }

  var timer;
  ui.q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { update(); }, 120); });
  [ui.verdict, ui.kind, ui.role, ui.sort].forEach(function (s) { s.addEventListener('change', function () { update(); }); });
  ui.prev.addEventListener('click', function () { state.page -= 1; render(); });
  ui.next.addEventListener('click', function () { state.page += 1; render(); });
  ui.clear.addEventListener('click', function () { state.focus = null; ui.focus.hidden = true; update(); ui.q.focus(); });
  document.querySelectorAll('button[data-group]').forEach(function (button) {
    button.addEventListener('click', function () {
      var group = button.getAttribute('data-group');
      setFocus('coverage group ' + group, function (a) { return a.cg === group; });
    });
  });
  document.querySelectorAll('button[data-fix]').forEach(function (button) {
    button.addEventListener('click', function () {
      var set = {};
      (fixAccounts[Number(button.getAttribute('data-fix'))] || []).forEach(function (i) { set[i] = true; });
      setFocus(button.getAttribute('data-label') || 'one fix', function (a) { return set[a._i] === true; });
    });
  });
  document.addEventListener('keydown', function (event) {
    var tag = event.target && event.target.tagName;
    if (event.key === '/' && tag !== 'INPUT' && tag !== 'SELECT') { event.preventDefault(); ui.q.focus(); }
  });
  window.addEventListener('beforeprint', function () {
    // Printing starts before a toggle event would run: the details are built here, not on toggle.
    ui.list.querySelectorAll('details').forEach(function (d) {
      if (d.childNodes.length === 1) d.appendChild(details(accounts[Number(d.id.slice(8))]));
      d.open = true;
    });
  });
  document.querySelectorAll('.js-only').forEach(function (node) { node.hidden = false; });
  update();
})();
`;
