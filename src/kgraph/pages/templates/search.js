// kgraph search: the index is in this page; matching ignores case and diacritics (đ as d).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("search-index").textContent);
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var LIMIT = 100;
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }
  function show() {
    var words = fold(input.value).split(" ").filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { status.textContent = ""; return; }
    var found = data.filter(function (row) {
      return words.every(function (w) { return row[5].indexOf(w) !== -1; });
    });
    status.textContent = found.length + " / " + data.length;
    found.slice(0, LIMIT).forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement(row[0] ? "a" : "span");
      if (row[0]) { link.href = row[0]; }
      link.lang = "vi";
      link.textContent = row[1];
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + [row[2], row[3], row[4]].filter(Boolean).join(" · ");
      item.appendChild(meta);
      list.appendChild(item);
    });
  }
  input.addEventListener("input", show);
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); show(); });
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; }
  show();
})();
