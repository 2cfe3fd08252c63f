// Latest payments and today's paid totals, refreshed every few seconds without a reload.
(function () {
  "use strict";
  var totals = document.getElementById("totals");
  var body = document.querySelector("#latest tbody");
  if (!totals || !body) { return; }
  var isToday = totals.dataset.isToday === "yes";
  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }
  function refresh() {
    fetch("/dashboard/latest.json", {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (data.latest.length) {
          var rows = data.latest.map(function (p) {
            var tr = document.createElement("tr");
            [cell(p.at), cell(p.till), cell(p.amount, "n"), cell(p.channel), cell(p.phone)]
              .forEach(function (td) { tr.appendChild(td); });
            return tr;
          });
          body.replaceChildren.apply(body, rows);
        }
        if (isToday) {
          document.getElementById("shop-paid-count").textContent = data.paid_count;
          document.getElementById("shop-paid-total").textContent = data.paid_total;
        }
        document.getElementById("latest-updated").textContent =
          new Date().toLocaleTimeString();
      })
      .catch(function () { /* the next round tries again */ });
  }
  setInterval(refresh, 3000);
})();
