/*
 * Undersigned's widget resizer: put it beside the widget's <iframe> on your page. It listens for the height the
 * widget reports (only from the site that served this script) and sizes that frame to fit, so a form with
 * errors or the "check your email" answer never needs a scroll bar. Without it the frame keeps its own height.
 */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "undersigned:height" || typeof data.height !== "number") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(Math.max(Math.ceil(data.height), 100), 4000) + "px";
      }
    }
  });
})();
