// kgraph view: draws the network from the page's JSON block. Every text from the data is
// put in the page with textContent, never as HTML, so a hostile label stays a label.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kgraph-data").textContent);
  var UI = DATA.ui;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The same key as kgraph.vn.fold: no diacritics, đ as d, lower case, single spaces.
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function tipElement(t) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-title", t.title));
    box.appendChild(el("div", "kg-tip-kind", t.kind));
    if (t.facts.length) {
      var dl = el("dl");
      t.facts.forEach(function (f) {
        dl.appendChild(el("dt", null, f[0]));
        dl.appendChild(el("dd", null, f[1]));
      });
      box.appendChild(dl);
    }
    t.cite.forEach(function (c) {
      box.appendChild(el("blockquote", null, "\u201c" + c.quote + "\u201d"));
      box.appendChild(el("div", "kg-cite", "\u2014 " + c.source));
    });
    if (t.more) box.appendChild(el("div", "kg-more", "+ " + t.more + " " + UI.more));
    return box;
  }

  var nodeById = {};
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    nodeById[n.id] = n;
    var o = Object.assign({}, n);
    delete o.tip;
    delete o.search;
    o.title = tipElement(n.tip);
    return o;
  }));
  var edgeById = {};
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    edgeById[e.id] = e;
    var o = Object.assign({}, e);
    delete o.tip;
    o.title = tipElement(e.tip);
    return o;
  }));

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var physicsBox = document.getElementById("physics");
  var started = performance.now();
  var state = window.kgraphView = {
    view: DATA.view,
    nodes: DATA.counts.nodes,
    edges: DATA.counts.edges,
    network: network,
    stabilized: false,
    stabilizedMs: null,
    drawn: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };

  function settled() {
    if (state.stabilized) return;
    state.stabilized = true;
    state.stabilizedMs = Math.round(performance.now() - started);
    document.body.setAttribute("data-stabilized", "true");
  }

  var physicsOn = !!(DATA.options.physics && DATA.options.physics.enabled);
  physicsBox.checked = false;
  if (physicsOn) {
    // Settle once, then stop: a still picture is easier to read; the box turns physics back on.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settled();
    });
  } else {
    network.once("afterDrawing", settled);
  }
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked, stabilization: false } });
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });

  // Filters by type.
  var hiddenNodes = {};
  var hiddenEdges = {};
  function applyFilters() {
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, hidden: !!hiddenNodes[n.kind] }; }));
    edges.update(DATA.edges.map(function (e) { return { id: e.id, hidden: !!hiddenEdges[e.kind] }; }));
    var drawn = state.drawn();
    var shown = document.getElementById("count-shown");
    var all = drawn.nodes === state.nodes && drawn.edges === state.edges;
    shown.textContent = all ? "" : " (" + UI.shown + ": " + drawn.nodes + " " + UI.nodes + ", " +
      drawn.edges + " " + UI.edges + ")";
  }
  Array.prototype.forEach.call(document.querySelectorAll(".node-filter"), function (box) {
    box.addEventListener("change", function () {
      hiddenNodes[box.getAttribute("data-kind")] = !box.checked;
      applyFilters();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".edge-filter"), function (box) {
    box.addEventListener("change", function () {
      hiddenEdges[box.getAttribute("data-kind")] = !box.checked;
      applyFilters();
    });
  });

  // Details panel.
  var details = document.getElementById("details");
  function showDetails(tip, key) {
    while (details.firstChild) details.removeChild(details.firstChild);
    details.appendChild(tipElement(tip));
    if (key) {
      var ego = el("div", "ego", UI.ego);
      ego.appendChild(el("code", null, "kgraph view ego --focus " + key));
      details.appendChild(ego);
    }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var n = nodeById[params.nodes[0]];
      if (n) showDetails(n.tip, n.tip.id);
    } else if (params.edges.length) {
      var e = edgeById[params.edges[0]];
      if (e) showDetails(e.tip, "");
    }
  });

  // Search: diacritic-insensitive, over labels, search keys and ids.
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    showDetails(nodeById[id].tip, nodeById[id].tip.id);
    while (results.firstChild) results.removeChild(results.firstChild);
  }
  function matches(query) {
    var q = fold(query);
    if (!q) return [];
    return DATA.nodes.filter(function (n) {
      return !hiddenNodes[n.kind] && (n.search.indexOf(q) >= 0 || fold(n.label).indexOf(q) >= 0);
    });
  }
  input.addEventListener("input", function () {
    while (results.firstChild) results.removeChild(results.firstChild);
    var found = matches(input.value);
    if (!input.value.trim()) { network.unselectAll(); return; }
    if (!found.length) { results.appendChild(el("li", "none", UI.none)); return; }
    network.selectNodes(found.map(function (n) { return n.id; }));
    found.slice(0, 15).forEach(function (n) {
      var li = el("li", null, n.tip.title);
      li.setAttribute("role", "option");
      li.appendChild(el("span", "kind", n.tip.kind));
      li.addEventListener("click", function () { focusNode(n.id); });
      results.appendChild(li);
    });
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(input.value);
      if (found.length) focusNode(found[0].id);
    } else if (ev.key === "Escape") {
      input.value = "";
      while (results.firstChild) results.removeChild(results.firstChild);
      network.unselectAll();
    }
  });
})();
