// The dashboard: polls this node's /api/state and /api/map and renders them. Every value from the cluster is put
// into the page as text, never as markup.
'use strict';

const REFRESH_MS = 1000;

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  cells.forEach(c => tr.appendChild(c instanceof Node ? wrap(c) : el('td', c)));
  return tr;
}

function wrap(node) {
  const td = document.createElement('td');
  td.appendChild(node);
  return td;
}

function setText(id, value) {
  document.getElementById(id).textContent = value === undefined || value === null ? '–' : String(value);
}

function renderMembers(state) {
  const s = state.snapshot || {};
  const links = state.dashboards || {};
  setText('cluster-name', s.clusterName);
  setText('self-id', state.self && state.self.nodeId);
  setText('view-id', s.viewId);
  setText('view-size', s.viewSize);
  setText('coordinator', s.coordinator);
  setText('registrations', s.registrations && s.registrations.total);
  const body = document.querySelector('#members tbody');
  body.replaceChildren();
  (s.members || []).forEach(m => {
    const link = links[m.id] && m.inView ? Object.assign(el('a', links[m.id]), {href: links[m.id]}) : el('span', '');
    const tr = row([m.id, m.address, el('span', m.state, 'state state-' + m.state), m.incarnation,
      m.inView ? 'yes' : 'no', link]);
    tr.classList.add('member');
    tr.dataset.id = m.id;
    tr.dataset.state = m.state;
    tr.dataset.inView = String(m.inView);
    if (m.id === s.nodeId) tr.classList.add('self');
    if (m.id === s.coordinator) tr.classList.add('coordinator');
    body.appendChild(tr);
  });
  setText('handled', state.handled);
}

function renderEvents(state) {
  const list = document.getElementById('events');
  list.replaceChildren();
  (state.events || []).forEach(e => {
    list.appendChild(el('li', `${e.at} ${e.member}: ${e.from} → ${e.to}` +
      (e.incarnation === null || e.incarnation === undefined ? '' : ` (incarnation ${e.incarnation})`)));
  });
}

function renderDropped(state) {
  const dropped = (state.snapshot && state.snapshot.dropped) || {};
  const body = document.querySelector('#dropped tbody');
  body.replaceChildren();
  Object.keys(dropped).sort().forEach(reason => body.appendChild(row([reason, dropped[reason]])));
}

async function refreshState() {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/api/state', {cache: 'no-store'});
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const state = await response.json();
    renderMembers(state);
    renderEvents(state);
    renderDropped(state);
    status.textContent = 'updated ' + new Date().toLocaleTimeString() + '; this node is ' +
      ((state.snapshot && state.snapshot.state) || 'unknown');
    status.className = 'status';
  } catch (e) {
    status.textContent = 'this node does not answer (' + e.message + '); retrying';
    status.className = 'status error';
  }
}

async function refreshMap() {
  try {
    const response = await fetch('/api/map', {cache: 'no-store'});
    if (!response.ok) return;
    const listing = await response.json();
    const body = document.querySelector('#map tbody');
    body.replaceChildren();
    Object.keys(listing.entries).forEach(key => {
      const remove = el('button', 'remove');
      remove.addEventListener('click', async () => {
        await fetch('/api/map/' + encodeURIComponent(key), {method: 'DELETE'});
        refreshMap();
      });
      const tr = row([key, listing.entries[key], remove]);
      tr.classList.add('entry');
      body.appendChild(tr);
    });
  } catch (e) {
    // The state refresh reports an unreachable node.
  }
}

document.getElementById('work-form').addEventListener('submit', async event => {
  event.preventDefault();
  const count = document.getElementById('work-count').value;
  const result = document.getElementById('work-result');
  result.textContent = 'sending…';
  const response = await fetch('/api/work?count=' + encodeURIComponent(count), {method: 'POST'});
  if (!response.ok) {
    result.textContent = await response.text();
    return;
  }
  const outcome = await response.json();
  result.textContent = `${outcome.answered} of ${outcome.sent} answered` +
    (outcome.failed ? `, ${outcome.failed} failed` : '');
  const bars = document.getElementById('work-bars');
  bars.replaceChildren();
  Object.keys(outcome.byNode).sort().forEach(node => {
    const n = outcome.byNode[node];
    const line = el('div', null, 'bar');
    const fill = el('span', null, 'fill');
    fill.style.width = Math.max(2, Math.round(200 * n / outcome.sent)) + 'px';
    line.append(fill, el('code', node), el('span', n));
    bars.appendChild(line);
  });
});

document.getElementById('map-form').addEventListener('submit', async event => {
  event.preventDefault();
  const key = document.getElementById('map-key').value;
  const value = document.getElementById('map-value').value;
  const response = await fetch('/api/map/' + encodeURIComponent(key), {method: 'PUT', body: value});
  document.getElementById('map-result').textContent = response.ok ? `put ${key}` : await response.text();
  refreshMap();
});

refreshState();
refreshMap();
setInterval(refreshState, REFRESH_MS);
setInterval(refreshMap, 2 * REFRESH_MS);
