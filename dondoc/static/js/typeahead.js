/* Type-ahead selects (issue 20): every <select data-typeahead> becomes a Tom Select box — type a few letters of a
   unit's name, with or without accents ("hoang mai" finds "phường Hoàng Mai"); a multiple select picks several
   units without Ctrl-click and removes one with its ×. The <select> stays in the form and is what is submitted.
   Loaded as a static file (the CSP forbids inline scripts); runs again on content htmx swaps in. */
(function () {
  "use strict";

  // Accents and đ folded away, so the search matches "Đống Đa" from "dong da" whatever the library's own table.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function setUp(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var multiple = select.multiple;
    new TomSelect(select, {
      diacritics: true,
      maxOptions: null,
      allowEmptyOption: !multiple,
      create: false,
      plugins: multiple ? ["remove_button"] : [],
      closeAfterSelect: !multiple,
      // Filter as each letter is typed: the lists are the city's units, in the page. The library's default waits
      // 300 ms, and a list closed (Escape, a pick) within that time opened again over the next field.
      refreshThrottle: 0,
      onItemAdd: function () {
        // After a pick the typed letters go, ready for the next unit.
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      score: function (search) {
        var words = fold(search).split(/\s+/).filter(Boolean);
        return function (item) {
          if (item.folded === undefined) {
            item.folded = fold(item.text || "");
          }
          for (var k = 0; k < words.length; k++) {
            if (item.folded.indexOf(words[k]) === -1) {
              return 0;
            }
          }
          return 1;
        };
      },
      render: {
        no_results: function () {
          return '<div class="no-results">Không tìm thấy đơn vị nào.</div>';
        },
        option: function (data) {
          return "<div>" + escape(data.text) + "</div>";
        },
        item: function (data) {
          return "<div>" + escape(data.text) + "</div>";
        },
      },
    });
  }

  function setUpAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("select[data-typeahead]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
