// The QR sheet's print button: shown, and working, only with script.
(function () {
  "use strict";
  var b = document.getElementById("sheet-print");
  if (!b) return;
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
})();
