// The dashboard's charts, drawn by ECharts (served from its WebJar) as SVG from this node's /api/history: a
// membership timeline, requests answered per node per second, and gossip bytes per second. Names from the cluster
// reach the charts as data, never as markup.
'use strict';

const CHART_REFRESH_MS = 1000;
const STATES = ['ALIVE', 'SUSPECT', 'DEAD', 'LEFT', 'OUT_OF_VIEW'];
const STATE_COLOURS = ['#22c55e', '#eab308', '#dc2626', '#9ca3af', '#e5e7eb'];

const charts = {};

function chart(id) {
  if (!charts[id]) {
    charts[id] = echarts.init(document.getElementById(id), null, {renderer: 'svg'});
  }
  return charts[id];
}

function clock(at) {
  return new Date(at).toLocaleTimeString();
}

function shortId(id) {
  return id.substring(0, 8);
}

function drawMembers(history) {
  const ids = Object.keys(history.members);
  const cells = [];
  ids.forEach((id, y) => history.members[id].forEach((state, x) => cells.push([x, y, STATES.indexOf(state)])));
  chart('chart-members').setOption({
    animation: false,
    title: {text: 'Membership', textStyle: {fontSize: 13}},
    tooltip: {formatter: p => `${ids[p.value[1]]} ${STATES[p.value[2]]} at ${clock(history.at[p.value[0]])}`},
    grid: {left: 80, right: 10, top: 30, bottom: 60},
    xAxis: {type: 'category', data: history.at.map(clock), axisLabel: {fontSize: 10}},
    yAxis: {type: 'category', data: ids.map(shortId), axisLabel: {fontSize: 10}},
    visualMap: {type: 'piecewise', orient: 'horizontal', bottom: 0, left: 'center', itemWidth: 10, itemHeight: 10,
      textStyle: {fontSize: 10},
      pieces: STATES.map((s, i) => ({value: i, label: s.toLowerCase().replace(/_/g, ' '), color: STATE_COLOURS[i]}))},
    series: [{name: 'state', type: 'heatmap', data: cells}]
  }, true);
}

function drawAnswered(history) {
  const nodes = Object.keys(history.answered);
  chart('chart-answered').setOption({
    animation: false,
    title: {text: 'Requests answered per second', textStyle: {fontSize: 13}},
    tooltip: {trigger: 'axis'},
    legend: {bottom: 0, type: 'scroll', textStyle: {fontSize: 10}},
    grid: {left: 50, right: 10, top: 30, bottom: 50},
    xAxis: {type: 'category', data: history.at.map(clock), axisLabel: {fontSize: 10}},
    yAxis: {type: 'value', minInterval: 1},
    series: nodes.map(n => ({name: shortId(n), type: 'line', showSymbol: false, data: history.answered[n]}))
  }, true);
}

function drawBytes(history) {
  chart('chart-bytes').setOption({
    animation: false,
    title: {text: 'Gossip bytes per second (this node)', textStyle: {fontSize: 13}},
    tooltip: {trigger: 'axis'},
    legend: {bottom: 0, textStyle: {fontSize: 10}},
    grid: {left: 60, right: 10, top: 30, bottom: 50},
    xAxis: {type: 'category', data: history.at.map(clock), axisLabel: {fontSize: 10}},
    yAxis: {type: 'value'},
    series: [
      {name: 'bytes in', type: 'line', showSymbol: false, data: history.bytesIn},
      {name: 'bytes out', type: 'line', showSymbol: false, data: history.bytesOut}
    ]
  }, true);
}

async function refreshCharts() {
  if (typeof echarts === 'undefined') return; // the library did not load: the rest of the page still works
  try {
    const response = await fetch('/api/history', {cache: 'no-store'});
    if (!response.ok) return;
    const history = await response.json();
    drawMembers(history);
    drawAnswered(history);
    drawBytes(history);
    ['chart-members', 'chart-answered', 'chart-bytes'].forEach(id => {
      const e = document.getElementById(id);
      e.dataset.samples = String(history.at.length);
      e.dataset.draws = String(Number(e.dataset.draws || 0) + 1);
    });
  } catch (e) {
    // The state refresh reports an unreachable node.
  }
}

refreshCharts();
setInterval(refreshCharts, CHART_REFRESH_MS);
