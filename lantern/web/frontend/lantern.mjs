// Lantern's one script: marks the page as able to run JavaScript, starts the
// GOV.UK Frontend components and HTMX. Loaded as a file so that the Content
// Security Policy can forbid inline script.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// HTMX sends the CSRF token held in the page's meta element with every request it makes.
const csrf = document.querySelector('meta[name="csrf-token"]');
document.body.addEventListener("htmx:configRequest", (event) => {
  if (csrf) {
    event.detail.headers["X-CSRF-Token"] = csrf.getAttribute("content");
  }
});
