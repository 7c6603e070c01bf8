// kgraph national view: the page first draws the provinces; the whole hierarchy is in the JSON
// block ("expand"), and clicking a unit (or its button in the outline, by keyboard) adds its
// children to the drawing around it, clicking again takes them away. Nothing is fetched, and
// every text goes in with textContent, as in view.js.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kgraph-data").textContent);
  var T = DATA.expand;
  var view = window.kgraphView;
  var net = view.network;
  var C = {};
  T.columns.forEach(function (c, i) { C[c] = i; });
  var ids = T.units.map(function (r) { return T.prefix + r[C.key]; });
  var index = {};
  ids.forEach(function (id, i) { index[id] = i; });
  var children = T.units.map(function () { return []; });
  T.units.forEach(function (r, i) { if (r[C.parent] >= 0) children[r[C.parent]].push(i); });
  function level(i) { return T.units[i][C.key].split("/")[0]; }
  function name(i) { return T.units[i][T.lang === "vi" ? C.label_vi : C.label_en]; }

  // How far a unit's drawn descendants reach from it: children on a sunflower whose spacing
  // leaves room for each child's own children (the same sums as national.py's grid cell).
  var reachOf = {}, spacingOf = {};
  function reach(i) {
    if (reachOf[i] !== undefined) return reachOf[i];
    var inner = 0;
    children[i].forEach(function (c) { inner = Math.max(inner, reach(c)); });
    spacingOf[i] = T.spacing + 2 * inner;
    reachOf[i] = children[i].length ? spacingOf[i] * 0.6 * Math.sqrt(children[i].length + 2) + inner : 0;
    return reachOf[i];
  }
  var GOLDEN = Math.PI * (3 - Math.sqrt(5));

  function node(i, at, k, n) {
    var r = T.units[i], lv = level(i), style = T.styles[lv];
    var counts = r[C.counts];
    var facts = [[T.facts[0], r[C.code]], [T.facts[1], r[C.type]], [T.facts[2], T.vintage]];
    var parent = r[C.parent];
    if (parent >= 0) facts.push([T.facts[3], name(parent)]);
    var radius = spacingOf[parent] * 0.6 * Math.sqrt(k + 2);
    return {
      id: ids[i], label: counts ? name(i) + "\n" + counts : name(i), shape: style.shape,
      color: style.color, size: lv === "commune" ? 10 : 16, kind: lv,
      search: "", font: { size: T.font }, priority: -(index[ids[i]] + 1),
      x: at.x + radius * Math.cos(k * GOLDEN), y: at.y + radius * Math.sin(k * GOLDEN),
      tip: { title: counts ? name(i) + " \u2014 " + counts : name(i), kind: style.label, facts: facts,
        cite: [], more: 0, id: r[C.key].split("/")[1] }
    };
  }

  var open = {};
  var buttons = {};
  function drawnDescendants(i, out) {
    children[i].forEach(function (c) {
      if (net.body.nodes[ids[c]]) out.push(ids[c]);
      drawnDescendants(c, out);
    });
    return out;
  }
  function toggle(i) {
    if (!children[i].length) return;
    if (open[i]) {
      var gone = drawnDescendants(i, []);
      gone.forEach(function (id) { delete open[index[id]]; });
      view.remove(gone);
      delete open[i];
    } else {
      reach(i);
      var at = net.getPositions([ids[i]])[ids[i]];
      var n = children[i].length;
      var added = children[i].map(function (c, k) { return node(c, at, k, n); });
      var edges = children[i].map(function (c) {
        return { id: "in:" + ids[c], from: ids[c], to: ids[i], kind: "part-of",
          color: T.edge.color, label: "", arrows: "to",
          tip: { title: name(c) + " \u2192 " + T.edge.label + " \u2192 " + name(i), kind: T.edge.label,
            facts: [], cite: [], more: 0, id: "" } };
      });
      view.add(added, edges);
      open[i] = true;
      net.fit({ nodes: [ids[i]].concat(added.map(function (a) { return a.id; })), animation: false });
    }
    outline(i);
    view.relabel();
    net.redraw();
  }
  view.toggle = function (id) { if (index[id] !== undefined) toggle(index[id]); };
  view.isOpen = function (id) { return !!open[index[id]]; };

  // The keyboard route: every province (and, once open, its units) as a list of buttons.
  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function item(i) {
    var li = el("li");
    var counts = T.units[i][C.counts];
    var text = counts ? name(i) + " \u2014 " + counts : name(i);
    if (children[i].length) {
      var b = el("button", text);
      b.type = "button";
      b.setAttribute("aria-expanded", "false");
      b.setAttribute("data-unit", ids[i]);
      b.addEventListener("click", function () { toggle(i); });
      buttons[i] = b;
      li.appendChild(b);
    } else {
      li.appendChild(el("span", text));
    }
    return li;
  }
  function outline(i) {
    var b = buttons[i];
    if (!b) return;
    b.setAttribute("aria-expanded", open[i] ? "true" : "false");
    var li = b.parentNode;
    var sub = li.querySelector("ul");
    if (sub) li.removeChild(sub);
    if (open[i]) {
      sub = el("ul");
      children[i].forEach(function (c) { sub.appendChild(item(c)); });
      li.appendChild(sub);
    }
  }
  document.getElementById("outline-heading").textContent = T.outline;
  var list = document.getElementById("outline");
  T.units.forEach(function (r, i) { if (r[C.parent] < 0 && level(i) === "province") list.appendChild(item(i)); });

  net.on("click", function (params) {
    if (params.nodes.length === 1 && index[params.nodes[0]] !== undefined) toggle(index[params.nodes[0]]);
  });
})();
