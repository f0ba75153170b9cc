/* konfarkiv's player page: start at the second, follow the transcript, seek from it.
   Without this script the page still works: each transcript line is a link to the
   player at that second, and the video's #t= starts it there. */
(function () {
  "use strict";
  var film = document.getElementById("film");
  if (!film) { return; }
  var start = Number(film.getAttribute("data-start")) || 0;
  var video = document.getElementById("player");
  var frame = document.getElementById("embed");
  var lines = Array.prototype.slice.call(document.querySelectorAll(".transcript li[data-start]"));
  var current = null;

  function mark(t) {
    var found = null;
    for (var i = 0; i < lines.length; i++) {
      if (Number(lines[i].getAttribute("data-start")) <= t + 0.25) { found = lines[i]; } else { break; }
    }
    if (found === current) { return; }
    if (current) { current.classList.remove("now"); current.removeAttribute("aria-current"); }
    current = found;
    if (current) { current.classList.add("now"); current.setAttribute("aria-current", "true"); }
  }

  function seek(t) {
    if (video) {
      video.currentTime = t;
      var played = video.play();
      if (played && played.catch) { played.catch(function () {}); }
    } else if (frame) {
      frame.src = frame.getAttribute("data-template").replace("987654321", String(t));
    }
    mark(t);
  }

  if (video) {
    var atStart = function () {
      if (Math.abs(video.currentTime - start) > 1) { video.currentTime = start; }
    };
    if (video.readyState >= 1) { atStart(); } else { video.addEventListener("loadedmetadata", atStart); }
    video.addEventListener("timeupdate", function () { mark(video.currentTime); });
    video.addEventListener("seeked", function () { mark(video.currentTime); });
  }
  lines.forEach(function (li) {
    var a = li.querySelector("a[data-t]");
    if (!a) { return; }
    a.addEventListener("click", function (ev) {
      if (!video && !frame) { return; }
      ev.preventDefault();
      seek(Number(a.getAttribute("data-t")));
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", a.href); }
    });
  });
  mark(start);
})();
