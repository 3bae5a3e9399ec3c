/* A form refused by the server (issue 20): the page opens at the form and the first field in error takes the focus,
   so the user sees the message where they are. Applies to <form data-focus-errors>; Django marks the fields in error
   with aria-invalid="true". A type-ahead select (static/js/typeahead.js, set up before this runs) gets the focus in
   its search box. Loaded as a static file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var forms = document.querySelectorAll("form[data-focus-errors]");
    for (var i = 0; i < forms.length; i++) {
      var field = forms[i].querySelector('[aria-invalid="true"]');
      if (!field) {
        continue;
      }
      var details = forms[i].closest("details");
      if (details) {
        details.open = true;
      }
      var summary = forms[i].querySelector('[role="alert"]');
      (summary || field).scrollIntoView({ block: "start" });
      if (field.tomselect) {
        field.tomselect.focus();
      } else {
        field.focus({ preventScroll: true });
      }
      return;
    }
  });
})();
