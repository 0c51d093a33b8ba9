// ui.js - the quarantine UI's only script, loaded from a file (strict CSP:
// no inline script). Pages work without it; it only adds the print button.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var print = document.getElementById('print');
  if (print) {
    print.addEventListener('click', function () { window.print(); });
  }
});
