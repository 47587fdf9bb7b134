// pathways: small enhancements only; every page works without this file.
// An input with data-filter-list="ID" hides the items of list ID that do not hold its words;
// one with data-filter-table="ID" does the same to the rows of table ID as you type;
// a section with data-load="URL" fills itself from URL.
"use strict";
(function () {
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function narrow(input, items, status) {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var hay = fold(item.textContent);
      var keep = words.every(function (w) { return hay.indexOf(w) !== -1; });
      item.hidden = !keep;
      if (keep) { shown += 1; }
    });
    if (status) {
      status.textContent = shown + " finding" + (shown === 1 ? "" : "s") + " shown.";
    }
  }
  document.querySelectorAll("[data-filter-list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    input.addEventListener("input", function () { narrow(input, items, null); });
  });
  // A section with data-load="URL" is replaced by the HTML fragment at URL once the page
  // is shown (the plan's alternatives, slower to work out); without JS its link leads there.
  document.querySelectorAll("[data-load]").forEach(function (section) {
    fetch(section.getAttribute("data-load"), {headers: {"Accept": "text/html"}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { section.innerHTML = html; })
      .catch(function () { /* keep the link */ });
  });
  document.querySelectorAll("[data-filter-table]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var status = document.getElementById("gap-count");
    input.addEventListener("input", function () { narrow(input, rows, status); });
  });
})();
