// Move focus to an error summary so keyboard and screen-reader users land on what went wrong.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  // Ask before destructive actions (forms marked data-confirm); works without JS too.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
