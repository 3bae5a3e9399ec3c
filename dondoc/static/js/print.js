// A button marked data-print prints the page (the CSP forbids inline handlers). Used by the recovery codes.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
