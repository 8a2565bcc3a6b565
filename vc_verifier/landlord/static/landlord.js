// Progressive enhancement of a waiting check: without JavaScript the page works the same
// (the "check again" link). Here the page asks the server where the check stands every few
// seconds and, once the answer is in, says so in the status region (role="status", announced
// by screen readers) and turns the link into "show the answer". It never reloads by itself.
(function () {
  "use strict";
  var region = document.getElementById("check-state");
  var text = document.getElementById("check-state-text");
  var link = document.getElementById("check-again");
  if (!region || !text || !link || !region.dataset.poll) { return; }
  var started = region.dataset.state;
  var tries = 0;
  function ask() {
    tries += 1;
    fetch(region.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        var state = answer && answer.state;
        if (state && state !== started && state !== "pending") {
          region.dataset.state = state;
          text.textContent = link.dataset.answered;
          link.textContent = link.dataset.show;
          return;
        }
        if (tries < 200) { window.setTimeout(ask, 3000); }
      })
      .catch(function () { if (tries < 200) { window.setTimeout(ask, 3000); } });
  }
  window.setTimeout(ask, 3000);
}());
