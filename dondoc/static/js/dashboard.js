/* The leaders' dashboard: a stacked bar chart by unit and a trend line, from the json_script data. */
(function () {
  "use strict";
  var node = document.getElementById("du-lieu-bieu-do");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);

  var units = document.getElementById("bieu-do-don-vi");
  if (units) {
    /* One horizontal bar per unit, every bar labelled with the unit's name (never every other one): the box is as
       tall as the units need, and scrolls inside its frame (.chart-scroll) when they are many. */
    var names = data.units.names;
    var narrow = units.parentNode.clientWidth < 500;  /* a phone: the short name (abbreviation) beside the bar */
    units.parentNode.style.height = Math.max(160, 26 * names.length + 70) + "px";
    new Chart(units, {
      type: "bar",
      data: {
        labels: narrow ? data.units.shorts : data.units.labels,
        datasets: [
          { label: "Hoàn thành đúng hạn", data: data.units.on_time, backgroundColor: "#198754" },
          { label: "Hoàn thành quá hạn", data: data.units.late, backgroundColor: "#ffc107" },
          { label: "Đang thực hiện trong hạn", data: data.units.in_deadline, backgroundColor: "#0dcaf0" },
          { label: "Quá hạn chưa hoàn thành", data: data.units.overdue, backgroundColor: "#dc3545" }
        ]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: true, ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { position: "top", align: "start" },
          tooltip: { callbacks: { title: function (items) { return names[items[0].dataIndex]; } } }
        }
      }
    });
  }

  var trend = document.getElementById("bieu-do-xu-huong");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: [
          { label: "Tỷ lệ hoàn thành đúng hạn (%)", data: data.trend.on_time_rate, borderColor: "#198754", spanGaps: true },
          { label: "Tỷ lệ hoàn thành (%)", data: data.trend.completion_rate, borderColor: "#0d6efd", spanGaps: true }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: 100 } }
      }
    });
  }

  /* Changing the period type reloads the form so the period list matches it. */
  var kind = document.getElementById("id_loai_ky");
  if (kind && kind.form) {
    kind.addEventListener("change", function () {
      var ky = document.getElementById("id_ky");
      if (ky) { ky.value = ""; }
      kind.form.submit();
    });
  }
})();
