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
  var hiddenNodes = {};
  function visNode(n) {
    nodeById[n.id] = n;
    var o = Object.assign({}, n);
    delete o.tip;
    delete o.search;
    o.title = tipElement(n.tip);
    return o;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edgeById = {};
  function visEdge(e) {
    edgeById[e.id] = e;
    var o = Object.assign({}, e);
    delete o.tip;
    o.title = tipElement(e.tip);
    return o;
  }
  var edges = new vis.DataSet(DATA.edges.map(visEdge));

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  // -- Labels: drawn only where readable on screen, important ones first, none overlapping
  // another or cut off by the edge. vis-network hides a label below its drawThreshold; this
  // hides the rest by raising one node's threshold out of reach.
  var LABELS = DATA.labels;
  var PAD = 16;
  var byPriority = DATA.nodes.slice().sort(function (a, b) { return b.priority - a.priority; });
  var suppressed = {};
  function hiddenNode(id) { return !!hiddenNodes[nodeById[id].kind]; }
  var baseFont = {}, shownFont = {};
  DATA.nodes.forEach(function (n) { baseFont[n.id] = shownFont[n.id] = n.font.size; });
  function wantedFont(id, scale) {
    // vis-network 9.1's maxVisible does not shrink the text, so labels are capped here.
    return Math.min(baseFont[id], LABELS.maxPx / scale);
  }
  function labelBox(id, scale) {
    // The label's box in canvas units at its wanted size, placed as vis-network places it
    // (inside a box shape, below any other shape).
    var body = network.body.nodes[id];
    var pos = network.getPositions([id])[id];
    var text = body.labelModule.getTextSize(network.canvas.getContext(), false, false);
    var fs = wantedFont(id, scale);
    var k = fs / body.labelModule.fontOptions.size;
    var w = text.width * k, h = text.height * k;
    var top;
    if (body.options.shape === "box") {
      top = pos.y - h / 2;
    } else {
      var half = (body.shape.height || 2 * body.options.size) / 2;
      top = pos.y + half + 4 + 0.5 * fs;  // Label.calculateLabelSize, "hanging"
    }
    return { left: pos.x - w / 2, top: top, right: pos.x + w / 2, bottom: top + h };
  }
  function insideView(b) {
    var tl = network.canvasToDOM({ x: b.left, y: b.top });
    var br = network.canvasToDOM({ x: b.right, y: b.bottom });
    return tl.x >= 0 && tl.y >= 0 && br.x <= container.clientWidth && br.y <= container.clientHeight;
  }
  function relabel(unclipped) {
    var scale = network.getScale();
    var placed = [];
    var margin = 2 / scale;
    var changes = [];
    byPriority.forEach(function (n) {
      if (!n.label || hiddenNode(n.id)) return;
      var change = { id: n.id };
      var fs = wantedFont(n.id, scale);
      if (shownFont[n.id] > fs + 0.01 || fs > 1.03 * shownFont[n.id]) {  // never over the cap
        shownFont[n.id] = fs;
        change.font = { size: fs };
        if (n.widthConstraint) change.widthConstraint = { maximum: n.widthConstraint.maximum * fs / baseFont[n.id] };
      }
      var b = labelBox(n.id, scale);
      var show = baseFont[n.id] * scale >= LABELS.minPx && (unclipped === true || insideView(b));
      if (show) {
        show = !placed.some(function (o) {
          return b.left < o.right + margin && o.left < b.right + margin &&
            b.top < o.bottom + margin && o.top < b.bottom + margin;
        });
        if (show) placed.push(b);
      }
      if (!show !== !!suppressed[n.id]) {
        suppressed[n.id] = !show;
        change.scaling = { label: { drawThreshold: show ? LABELS.minPx : 1e9 } };
      }
      if (change.font || change.scaling) changes.push(change);
    });
    if (changes.length) nodes.update(changes);
  }
  function bounds() {
    // Canvas-unit box around every shown node and every label drawn, as last drawn.
    var b = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    function add(l, t, r, bt) {
      b.left = Math.min(b.left, l); b.top = Math.min(b.top, t);
      b.right = Math.max(b.right, r); b.bottom = Math.max(b.bottom, bt);
    }
    var positions = network.getPositions();
    network.body.nodeIndices.forEach(function (id) {
      var body = network.body.nodes[id];
      var p = positions[id];
      var hw = (body.shape.width || 2 * body.options.size) / 2;
      var hh = (body.shape.height || 2 * body.options.size) / 2;
      add(p.x - hw, p.y - hh, p.x + hw, p.y + hh);
      if (drawnLabel(id)) {
        var s = body.labelModule.size;
        add(s.left, s.top, s.left + s.width, s.top + s.height);
      }
    });
    return b;
  }
  function drawnLabel(id) {
    var lm = network.body.nodes[id].labelModule;
    return !!nodeById[id].label && !suppressed[id] && lm.visible();
  }
  function fitAll() {
    // network.fit() ignores labels; this fits nodes and drawn labels with PAD px to spare,
    // only ever zooming out between rounds so it settles.
    var scale = Infinity;
    for (var round = 0; round < 6; round++) {
      relabel(true);
      network.redraw();
      var b = bounds();
      if (!isFinite(b.left)) return;
      var w = Math.max(b.right - b.left, 1), h = Math.max(b.bottom - b.top, 1);
      var fitted = Math.min((container.clientWidth - 2 * PAD) / w,
        (container.clientHeight - 2 * PAD) / h, 2);
      if (fitted >= scale * 0.999) break;
      scale = Math.min(scale, fitted);
      network.moveTo({ position: { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 },
        scale: scale, animation: false });
    }
    relabel();
    network.redraw();
  }
  var relabelTimer = null;
  function relabelSoon() {
    if (relabelTimer) clearTimeout(relabelTimer);
    relabelTimer = setTimeout(function () { relabelTimer = null; relabel(); }, 120);
  }
  network.on("zoom", relabelSoon);
  network.on("dragEnd", relabelSoon);
  network.on("animationFinished", relabelSoon);
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
    },
    labels: function () {
      // Every label drawn: its text, its size on screen and its box in the canvas element's
      // CSS pixels, as vis-network last drew it (for the browser tests).
      var scale = network.getScale();
      return network.body.nodeIndices.filter(drawnLabel).map(function (id) {
        var lm = network.body.nodes[id].labelModule;
        var tl = network.canvasToDOM({ x: lm.size.left, y: lm.size.top });
        var br = network.canvasToDOM({ x: lm.size.left + lm.size.width, y: lm.size.top + lm.size.height });
        return { id: id, label: nodeById[id].label, px: lm.fontOptions.size * scale,
          left: tl.x, top: tl.y, right: br.x, bottom: br.y };
      });
    },
    canvasSize: function () { return { width: container.clientWidth, height: container.clientHeight }; },
    relabel: relabel,
    png: pngDataURL,
    svg: svgText,
    add: addItems,
    remove: removeItems
  };

  // -- Growing and shrinking the drawing (the national view expands a unit on click): the
  // items join the page's data exactly as if they had been there from the start.
  function recount() {
    state.nodes = DATA.nodes.length;
    state.edges = DATA.edges.length;
    document.getElementById("count-nodes").textContent = String(state.nodes);
    document.getElementById("count-edges").textContent = String(state.edges);
    document.body.setAttribute("data-kgraph-nodes", String(state.nodes));
    document.body.setAttribute("data-kgraph-edges", String(state.edges));
  }
  function addItems(newNodes, newEdges) {
    newNodes.forEach(function (n) {
      DATA.nodes.push(n);
      baseFont[n.id] = shownFont[n.id] = n.font.size;
    });
    byPriority = DATA.nodes.slice().sort(function (a, b) { return b.priority - a.priority; });
    nodes.add(newNodes.map(visNode));
    DATA.edges.push.apply(DATA.edges, newEdges);
    edges.add(newEdges.map(visEdge));
    recount();
  }
  function removeItems(nodeIds) {
    var gone = {};
    nodeIds.forEach(function (id) { gone[id] = true; });
    var edgeIds = DATA.edges.filter(function (e) { return gone[e.from] || gone[e.to]; })
      .map(function (e) { return e.id; });
    edges.remove(edgeIds);
    edgeIds.forEach(function (id) { delete edgeById[id]; });
    DATA.edges = DATA.edges.filter(function (e) { return !(gone[e.from] || gone[e.to]); });
    nodes.remove(nodeIds);
    nodeIds.forEach(function (id) {
      delete nodeById[id]; delete baseFont[id]; delete shownFont[id]; delete suppressed[id];
    });
    DATA.nodes = DATA.nodes.filter(function (n) { return !gone[n.id]; });
    byPriority = byPriority.filter(function (n) { return !gone[n.id]; });
    recount();
  }

  // -- Pictures: the canvas as PNG, and the same drawing as SVG with labels as text.
  function pngDataURL() {
    var src = container.querySelector("canvas");
    var c = document.createElement("canvas");
    c.width = src.width;
    c.height = src.height;
    var ctx = c.getContext("2d");
    ctx.fillStyle = LABELS.canvas;
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(src, 0, 0);
    return c.toDataURL("image/png");
  }
  var SVGNS = "http://www.w3.org/2000/svg";
  function svgEl(parent, tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    if (parent) parent.appendChild(e);
    return e;
  }
  function points(list) {
    return list.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
  }
  function ring(x, y, count, radius, turn) {
    var out = [];
    for (var i = 0; i < count; i++) {
      var a = turn + i * 2 * Math.PI / count;
      var r = typeof radius === "function" ? radius(i) : radius;
      out.push([x + r * Math.sin(a), y - r * Math.cos(a)]);
    }
    return out;
  }
  function shapeEl(g, body, p) {
    // The node's shape, drawn the way vis-network draws it (shapes/*.js in its source).
    var o = body.options, r = o.size, x = p.x, y = p.y;
    var paint = { fill: o.color.background, stroke: o.color.border, "stroke-width": o.borderWidth };
    var side = 2 * r, ir = Math.sqrt(3) / 6 * side, th = Math.sqrt(side * side - r * r);
    var shapes = {
      dot: function () { svgEl(g, "circle", Object.assign({ cx: x, cy: y, r: r }, paint)); },
      square: function () { svgEl(g, "rect", Object.assign({ x: x - r, y: y - r, width: side, height: side }, paint)); },
      box: function () {
        var w = body.shape.width || side, h = body.shape.height || side;
        svgEl(g, "rect", Object.assign({ x: x - w / 2, y: y - h / 2, width: w, height: h, rx: 6 }, paint));
      },
      diamond: function () { svgEl(g, "polygon", Object.assign({ points: points(ring(x, y, 4, r, 0)) }, paint)); },
      triangle: function () {
        svgEl(g, "polygon", Object.assign({ points: points([[x, y - (th - ir)], [x + r, y + ir], [x - r, y + ir]]) }, paint));
      },
      triangleDown: function () {
        svgEl(g, "polygon", Object.assign({ points: points([[x, y + (th - ir)], [x + r, y - ir], [x - r, y - ir]]) }, paint));
      },
      star: function () {
        var star = ring(x, y + 0.1 * r, 10, function (i) { return i % 2 ? r * 0.5 : r * 1.3; }, 0);
        svgEl(g, "polygon", Object.assign({ points: points(star) }, paint));
      },
      hexagon: function () {
        svgEl(g, "polygon", Object.assign({ points: points(ring(x, y, 6, r, Math.PI / 6)) }, paint));
      }
    };
    (shapes[o.shape] || shapes.dot)();
  }
  function textEl(parent, label, x, top, size, font) {
    var lines = String(label).split("\n");
    var t = svgEl(parent, "text", {
      x: x.toFixed(1), y: (top + size).toFixed(1), "font-size": size.toFixed(1),
      "font-family": font.face || "sans-serif", "text-anchor": "middle", fill: font.color,
      stroke: font.strokeWidth ? font.strokeColor : "none", "stroke-width": font.strokeWidth || 0,
      "paint-order": "stroke"
    });
    lines.forEach(function (line, i) {
      svgEl(t, "tspan", { x: x.toFixed(1), dy: i ? (size * 1.15).toFixed(1) : 0 }, line);
    });
  }
  function svgText() {
    // Straight edges with arrowheads, shapes, and the labels drawn on screen now as <text>;
    // every node carries its full label as <title>. Built as DOM nodes, so text stays text.
    var scale = network.getScale();
    var positions = network.getPositions();
    var b = bounds();
    var pad = PAD / scale;
    var box = [b.left - pad, b.top - pad, b.right - b.left + 2 * pad, b.bottom - b.top + 2 * pad];
    var svg = svgEl(null, "svg", {
      xmlns: SVGNS, viewBox: box.map(function (v) { return v.toFixed(1); }).join(" "),
      width: Math.round(box[2] * scale), height: Math.round(box[3] * scale)
    });
    svgEl(svg, "title", {}, document.title);
    svgEl(svg, "rect", { x: box[0], y: box[1], width: box[2], height: box[3], fill: LABELS.canvas });
    var edgeGroup = svgEl(svg, "g", { "class": "edges", fill: "none" });
    network.body.edgeIndices.forEach(function (id) {
      var e = network.body.edges[id];
      var a = positions[e.fromId], z = positions[e.toId];
      if (!a || !z) return;
      var colour = e.options.color.color;
      var g = svgEl(edgeGroup, "g", {});
      svgEl(g, "title", {}, edgeById[id] ? edgeById[id].tip.title : "");
      var line = { x1: a.x, y1: a.y, x2: z.x, y2: z.y, stroke: colour, "stroke-width": e.options.width };
      if (e.options.dashes) line["stroke-dasharray"] = "5 5";
      svgEl(g, "line", line);
      var len = Math.hypot(z.x - a.x, z.y - a.y);
      if (len > 0) {
        var ux = (z.x - a.x) / len, uy = (z.y - a.y) / len;
        var end = network.body.nodes[e.toId].options.size + 2, head = 8;
        var tx = z.x - ux * end, ty = z.y - uy * end;
        svgEl(g, "polygon", { fill: colour, points: points([[tx, ty],
          [tx - ux * head - uy * head / 2, ty - uy * head + ux * head / 2],
          [tx - ux * head + uy * head / 2, ty - uy * head - ux * head / 2]]) });
      }
      if (e.options.label && e.labelModule.visible()) {
        var size = e.labelModule.fontOptions.size;
        textEl(g, e.options.label, (a.x + z.x) / 2, (a.y + z.y) / 2 - size / 2, size, e.options.font);
      }
    });
    var nodeGroup = svgEl(svg, "g", { "class": "nodes" });
    network.body.nodeIndices.forEach(function (id) {
      var body = network.body.nodes[id];
      var g = svgEl(nodeGroup, "g", {});
      svgEl(g, "title", {}, nodeById[id].tip.title);
      shapeEl(g, body, positions[id]);
      if (drawnLabel(id)) {
        var lm = body.labelModule;
        var size = lm.fontOptions.size;
        var top = body.options.shape === "box" ? positions[id].y - size * 0.6 : lm.size.top;
        textEl(g, nodeById[id].label, positions[id].x, top, size, body.options.font);
      }
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }
  function saveAs(suffix, href) {
    var stem = (location.pathname.split("/").pop() || DATA.view).replace(/\.html?$/, "") || DATA.view;
    var a = el("a");
    a.href = href;
    a.download = stem + suffix;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }
  document.getElementById("save-png").addEventListener("click", function () {
    saveAs(".png", pngDataURL());
  });
  document.getElementById("save-svg").addEventListener("click", function () {
    saveAs(".svg", "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText()));
  });

  function settled() {
    if (state.stabilized) return;
    fitAll();
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
  document.getElementById("fit").addEventListener("click", fitAll);

  // Filters by type.
  var hiddenEdges = {};
  function applyFilters() {
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, hidden: !!hiddenNodes[n.kind] }; }));
    edges.update(DATA.edges.map(function (e) { return { id: e.id, hidden: !!hiddenEdges[e.kind] }; }));
    relabel();
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
